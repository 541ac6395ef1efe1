using Microsoft.Extensions.Time.Testing;

namespace ChasiSre.Ingest.Gateway.Tests;

public sealed class CircuitBreakerTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Failed_ThresholdReached_OpensAndBlocksPollsUntilTheOpenPeriodEnds()
    {
        var breaker = new CircuitBreaker(3, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5), time);

        Assert.Equal(BreakerState.Closed, breaker.Failed());
        Assert.Equal(BreakerState.Closed, breaker.Failed());
        Assert.True(breaker.AllowsPoll());
        Assert.Equal(BreakerState.Open, breaker.Failed());
        Assert.False(breaker.AllowsPoll());
        Assert.Equal(time.GetUtcNow().AddSeconds(30), breaker.RetryAt);

        time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(BreakerState.Open, breaker.State);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(BreakerState.HalfOpen, breaker.State);
        Assert.True(breaker.AllowsPoll());
    }

    [Fact]
    public void Succeeded_HalfOpenTrial_ClosesAndResetsTheCount()
    {
        var breaker = new CircuitBreaker(1, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1), time);
        breaker.Failed();
        time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(BreakerState.HalfOpen, breaker.Succeeded());
        Assert.Equal(BreakerState.Closed, breaker.State);
        Assert.Equal(0, breaker.ConsecutiveFailures);
        Assert.Equal(DateTimeOffset.MinValue, breaker.RetryAt);
    }

    [Fact]
    public void Failed_HalfOpenTrial_ReopensForTwiceAsLongUpToTheMaximum()
    {
        var breaker = new CircuitBreaker(1, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(25), time);
        breaker.Failed();
        time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(BreakerState.Open, breaker.Failed());
        Assert.Equal(time.GetUtcNow().AddSeconds(20), breaker.RetryAt);
        time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(BreakerState.Open, breaker.Failed());
        Assert.Equal(time.GetUtcNow().AddSeconds(25), breaker.RetryAt);

        time.Advance(TimeSpan.FromSeconds(25));
        breaker.Succeeded();
        breaker.Failed();
        Assert.Equal(time.GetUtcNow().AddSeconds(10), breaker.RetryAt);
    }
}
