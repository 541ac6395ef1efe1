using ChasiSre.Streams.Detection;

namespace ChasiSre.Streams.Correlation.Tests;

public sealed class CategoryPrecedenceTests
{
    [Fact]
    public void Order_EveryCategory_ListedExactlyOnce()
    {
        Assert.Equal(Enum.GetValues<IncidentCategory>().Order(), CategoryPrecedence.Order.Order());
        Assert.Equal(CategoryPrecedence.Order.Count, CategoryPrecedence.Order.Distinct().Count());
    }

    [Theory]
    [InlineData(IncidentCategory.CrashLoop, IncidentCategory.QuotaExceeded, IncidentCategory.QuotaExceeded)]
    [InlineData(IncidentCategory.CrashLoop, IncidentCategory.AdmissionRejected, IncidentCategory.AdmissionRejected)]
    [InlineData(IncidentCategory.CrashLoop, IncidentCategory.NodePressure, IncidentCategory.NodePressure)]
    [InlineData(IncidentCategory.CrashLoop, IncidentCategory.ConfigError, IncidentCategory.ConfigError)]
    [InlineData(IncidentCategory.RolloutStuck, IncidentCategory.CrashLoop, IncidentCategory.CrashLoop)]
    [InlineData(IncidentCategory.Unschedulable, IncidentCategory.QuotaExceeded, IncidentCategory.QuotaExceeded)]
    [InlineData(IncidentCategory.CrashLoop, IncidentCategory.OOMKilled, IncidentCategory.OOMKilled)]
    [InlineData(IncidentCategory.MetricAnomaly, IncidentCategory.BusinessDegradation, IncidentCategory.BusinessDegradation)]
    [InlineData(IncidentCategory.NodePressure, IncidentCategory.VClusterControlPlane, IncidentCategory.VClusterControlPlane)]
    public void MostCausal_TwoCategories_CauseWinsEitherWay(IncidentCategory first, IncidentCategory second, IncidentCategory expected)
    {
        Assert.Equal(expected, CategoryPrecedence.MostCausal(first, second));
        Assert.Equal(expected, CategoryPrecedence.MostCausal(second, first));
    }

    [Theory]
    [InlineData(IncidentCategory.RolloutStuck, true)]
    [InlineData(IncidentCategory.Unschedulable, true)]
    [InlineData(IncidentCategory.CrashLoop, false)]
    [InlineData(IncidentCategory.ConfigError, false)]
    [InlineData(IncidentCategory.NodePressure, false)]
    public void IsConsequence_Category_OnlySymptomsMove(IncidentCategory category, bool expected) =>
        Assert.Equal(expected, CategoryPrecedence.IsConsequence(category));
}
