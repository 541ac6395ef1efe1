using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ChasiSre.TestKit;

/// <summary>
/// Canned answers written from the OpenAI Chat Completions API reference (the chat completion object,
/// the chat completion chunk object and server-sent events ending in <c>data: [DONE]</c>), plus the
/// documented extensions of compatible servers: DeepSeek's <c>reasoning_content</c>, vLLM's <c>reasoning</c>.
/// </summary>
public static class OpenAIWire
{
    public const string Model = "test-model";

    public static string Completion(string? content, string? reasoningField = null, string? reasoning = null)
    {
        var message = new JsonObject { ["role"] = "assistant", ["content"] = content };
        if (reasoningField is not null)
        {
            message[reasoningField] = reasoning;
        }

        return new JsonObject
        {
            ["id"] = "chatcmpl-123",
            ["object"] = "chat.completion",
            ["created"] = 1_700_000_000,
            ["model"] = Model,
            ["system_fingerprint"] = "fp_test",
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = message,
                ["logprobs"] = null,
                ["finish_reason"] = "stop",
            }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 12, ["completion_tokens"] = 7, ["total_tokens"] = 19 },
        }.ToJsonString();
    }

    public static string Chunk(string? content, string? finishReason = null, string? reasoningField = null, string? reasoning = null, bool role = false)
    {
        var delta = new JsonObject();
        if (role)
        {
            delta["role"] = "assistant";
        }

        if (content is not null)
        {
            delta["content"] = content;
        }

        if (reasoningField is not null)
        {
            delta[reasoningField] = reasoning;
        }

        return new JsonObject
        {
            ["id"] = "chatcmpl-123",
            ["object"] = "chat.completion.chunk",
            ["created"] = 1_700_000_000,
            ["model"] = Model,
            ["system_fingerprint"] = "fp_test",
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["delta"] = delta,
                ["logprobs"] = null,
                ["finish_reason"] = finishReason,
            }),
        }.ToJsonString();
    }

    public static Func<HttpContext, string, Task> Json(string body, int status = 200) => async (context, _) =>
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body, context.RequestAborted);
    };

    public static Func<HttpContext, string, Task> Text(int status, string contentType, string body, Action<IHeaderDictionary>? headers = null) => async (context, _) =>
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        headers?.Invoke(context.Response.Headers);
        await context.Response.WriteAsync(body, context.RequestAborted);
    };

    /// <summary>An SSE stream: each item is written and flushed on its own (a <c>: keep-alive</c> comment, or a chunk's JSON).</summary>
    public static Func<HttpContext, string, Task> Sse(IEnumerable<string> items, bool done = true, TimeSpan? stallAtEnd = null) => async (context, _) =>
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        foreach (var item in items)
        {
            string line = item.StartsWith(':') ? item + "\n\n" : "data: " + item + "\n\n";
            await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(line), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }

        if (stallAtEnd is { } stall)
        {
            try
            {
                await Task.Delay(stall, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return; // The client gave up on the stalled stream, as it should.
            }
        }

        if (done)
        {
            await context.Response.WriteAsync("data: [DONE]\n\n", context.RequestAborted);
        }
    };
}
