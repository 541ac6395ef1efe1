using System.CommandLine;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using ChasiSre.Platform.ClickHouse;
using ChasiSre.Platform.Inference;
using ChasiSre.Platform.Kafka;

namespace ChasiSre.Cli.Commands;

/// <summary><c>chasi doctor</c>: loads every native part and says where from, or how to fix it.</summary>
internal static class DoctorCommand
{
    private delegate bool Probe([NotNullWhen(true)] out string? loadedFrom, [NotNullWhen(false)] out string? problem);

    public static Command Create()
    {
        var format = OutputFormatOption.Create();
        var command = new Command("doctor", "Check that every native part (librdkafka, libchdb, llama.cpp, ONNX Runtime) loads; exit 1 naming the fix when one does not.") { format };
        command.SetAction(result =>
        {
            var report = Run();
            if (result.GetValue(format) == OutputFormat.Json)
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(report, CliJsonContext.Default.DoctorReport));
            }
            else
            {
                foreach (var check in report.Checks)
                {
                    Console.Out.WriteLine(check.Ok
                        ? $"ok    {check.Part,-12} {check.LoadedFrom}"
                        : $"FAIL  {check.Part,-12} {check.Fix}");
                }
            }

            return report.Ok ? 0 : 1;
        });
        return command;
    }

    public static DoctorReport Run()
    {
        DoctorCheck Check(string part, string purpose, Probe probe) =>
            probe(out var from, out var problem)
                ? new DoctorCheck(part, purpose, true, from, null)
                : new DoctorCheck(part, purpose, false, null, problem);

        DoctorCheck[] checks =
        [
            Check("librdkafka", "Kafka clients and the embedded Kafka cluster", LibrdkafkaLibrary.TryLoad),
            Check("libchdb", "embedded ClickHouse (chDB)", ChDbLibrary.TryLoad),
            Check("llama", "local LLM inference (llama.cpp via LLamaSharp)", LlamaNative.TryLoad),
            Check("onnxruntime", "MiniLM sentence embeddings", OnnxRuntimeNative.TryLoad),
        ];
        return new DoctorReport(checks.All(c => c.Ok), checks);
    }
}
