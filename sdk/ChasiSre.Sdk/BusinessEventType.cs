namespace ChasiSre.Sdk;

/// <summary>Kind of a business event (<c>BusinessEvent.type</c> on the wire).</summary>
public enum BusinessEventType
{
    Normal,
    Warning,
    Error,
}
