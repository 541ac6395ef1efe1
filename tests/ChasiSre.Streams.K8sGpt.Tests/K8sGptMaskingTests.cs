namespace ChasiSre.Streams.K8sGpt.Tests;

public sealed class K8sGptMaskingTests
{
    [Fact]
    public void Mask_OverlappingValues_LongestReplacedWholeAndMasksNotRemasked()
    {
        var masked = K8sGptMasking.Mask(
            "secret db-password-prod missing key password in db-password-prod",
            [new("password", "cGFzcw"), new("db-password-prod", "ZGItcGFzcw"), new("ZGI", "never")]);

        Assert.Equal("secret ZGItcGFzcw missing key cGFzcw in ZGItcGFzcw", masked);
    }

    [Fact]
    public void Mask_NoMaskGiven_Placeholder()
    {
        Assert.Equal("label app=***", K8sGptMasking.Mask("label app=billing", [new("billing", "")]));
    }

    [Fact]
    public void Mask_EmptyUnmasked_Ignored()
    {
        Assert.Equal("unchanged", K8sGptMasking.Mask("unchanged", [new("", "x")]));
    }
}
