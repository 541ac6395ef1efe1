using System.ComponentModel.DataAnnotations;

namespace ChasiSre.Executor;

/// <summary>Settings of the executor (section <c>Executor</c>).</summary>
public sealed class ExecutorOptions
{
    public const string SectionName = "Executor";

    /// <summary>
    /// The <c>ActionPolicy</c> YAML file. Empty means the built-in <see cref="ActionPolicy.Default"/>: every tenant
    /// action needs approval and every host action is denied.
    /// </summary>
    [MaxLength(4096)]
    public string PolicyFile { get; set; } = "";
}
