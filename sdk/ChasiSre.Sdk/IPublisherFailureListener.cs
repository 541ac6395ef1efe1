namespace ChasiSre.Sdk;

/// <summary>
/// Told when the push publisher retries or drops records. Called on the publisher's own thread,
/// never on the business code's; register implementations in DI.
/// </summary>
public interface IPublisherFailureListener
{
    void OnPublishFailed(PublishFailure failure);
}
