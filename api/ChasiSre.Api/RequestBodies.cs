using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ChasiSre.Api;

/// <summary>Reads request bodies under a limit, chunked ones too.</summary>
internal static class RequestBodies
{
    /// <summary>The body, or null when it is larger than <paramref name="limit"/> (by Content-Length or as read).</summary>
    public static async Task<byte[]?> ReadAsync(HttpContext context, long limit)
    {
        if (context.Request.ContentLength > limit)
        {
            return null;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return null;
                }

                await buffer.WriteAsync(chunk.AsMemory(0, read), context.RequestAborted);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }

        return buffer.ToArray();
    }
}
