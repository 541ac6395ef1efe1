namespace ChasiSre.Ingest.Gateway.Tests;

public sealed class AdapterAnnotationsTests
{
    [Theory]
    [InlineData("30s", 30_000)]
    [InlineData("2m", 120_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("500ms", 500)]
    [InlineData("1.5s", 1500)]
    [InlineData("00:00:45", 45_000)]
    public void ParseInterval_ValidValue_ReturnsTheDuration(string text, int milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), AdapterAnnotations.ParseInterval(text));

    [Theory]
    [InlineData("")]
    [InlineData("fast")]
    [InlineData("0s")]
    [InlineData("-5s")]
    [InlineData("00:00:00")]
    [InlineData("10")]
    public void ParseInterval_InvalidValue_ReturnsNull(string text) => Assert.Null(AdapterAnnotations.ParseInterval(text));

    [Theory]
    [InlineData("grpc", AdapterTransport.Grpc)]
    [InlineData(" HTTP ", AdapterTransport.Http)]
    [InlineData("websocket", null)]
    public void ParseTransport_Value_ReturnsTheTransportOrNull(string text, AdapterTransport? expected) =>
        Assert.Equal(expected, AdapterAnnotations.ParseTransport(text));

    [Theory]
    [InlineData("8081", 8081)]
    [InlineData("0", null)]
    [InlineData("65536", null)]
    [InlineData("http", null)]
    [InlineData("+80", null)]
    public void ParsePort_Value_ReturnsThePortOrNull(string text, int? expected) => Assert.Equal(expected, AdapterAnnotations.ParsePort(text));
}
