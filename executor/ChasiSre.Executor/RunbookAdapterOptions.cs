using System.ComponentModel.DataAnnotations;

namespace ChasiSre.Executor;

/// <summary>Where the executor reaches one business adapter's pull endpoint (HTTP/JSON under <c>/chasi/v1/</c>).</summary>
public sealed class RunbookAdapterOptions
{
    /// <summary>The adapter's base address, e.g. <c>http://orders.shop:8080</c>.</summary>
    [Required]
    public Uri? Url { get; set; }

    /// <summary>A file holding the adapter's bearer token (a mounted Secret); read on every call, never logged.</summary>
    [MaxLength(4096)]
    public string TokenFile { get; set; } = "";
}
