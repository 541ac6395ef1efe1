namespace ChasiSre.Cli.Commands;

/// <summary>One native part and whether it loads.</summary>
/// <param name="Part">Short name (librdkafka, libchdb, llama, onnxruntime).</param>
/// <param name="Purpose">What ChasiSre uses it for.</param>
/// <param name="Ok">Whether it loaded.</param>
/// <param name="LoadedFrom">The file it loaded from.</param>
/// <param name="Fix">What is wrong and the exact fix, when it did not load.</param>
internal sealed record DoctorCheck(string Part, string Purpose, bool Ok, string? LoadedFrom, string? Fix);

/// <summary>What <c>chasi doctor</c> prints.</summary>
internal sealed record DoctorReport(bool Ok, IReadOnlyList<DoctorCheck> Checks);
