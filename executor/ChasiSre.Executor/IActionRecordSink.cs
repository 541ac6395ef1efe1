using ChasiSre.Schemas.V1;

namespace ChasiSre.Executor;

/// <summary>Where the executor's audit records go (<c>chasi.actions.v1</c>); a record counts as written only once this returns.</summary>
public interface IActionRecordSink
{
    Task PublishAsync(ActionRecord record, CancellationToken cancellationToken = default);
}
