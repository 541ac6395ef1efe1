using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ChasiSre.Streams.K8sGpt;

/// <summary>The k8sgpt custom analyzers to poll, and how to back off from one that fails.</summary>
public sealed class K8sGptInteropOptions : IValidatableObject
{
    public const string SectionName = "Streams:K8sGpt";

    /// <summary>Analyzers to poll; none means the poller idles.</summary>
    [ValidateEnumeratedItems]
    public IList<CustomAnalyzerOptions> Analyzers { get; } = [];

    /// <summary>Delay after the first failed run; doubled per further failure up to <see cref="MaxBackoff"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan MinBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest delay between failed runs.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The delay after <paramref name="consecutiveFailures"/> failed runs in a row (at least 1).</summary>
    public TimeSpan Backoff(int consecutiveFailures)
    {
        var exponent = Math.Clamp(consecutiveFailures - 1, 0, 30);
        var ticks = Math.Min((double)MinBackoff.Ticks * Math.Pow(2, exponent), MaxBackoff.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxBackoff < MinBackoff)
        {
            yield return new ValidationResult($"{nameof(MaxBackoff)} ({MaxBackoff}) must be at least {nameof(MinBackoff)} ({MinBackoff}).", [nameof(MaxBackoff)]);
        }

        foreach (var duplicate in Analyzers.GroupBy(a => a.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            yield return new ValidationResult($"Analyzer name '{duplicate.Key}' is used {duplicate.Count()} times; names must be unique.", [nameof(Analyzers)]);
        }
    }
}
