using System.Net;

namespace ChasiSre.Sdk.Samples.Orders;

/// <summary>How <see cref="OrdersSampleHost"/> serves the sample.</summary>
public sealed class OrdersSampleOptions
{
    /// <summary>Port of the HTTP/JSON endpoint (HTTP/1.1); 0 picks a free one.</summary>
    public int Port { get; set; }

    /// <summary>Port of the gRPC endpoint (cleartext HTTP/2); 0 picks a free one.</summary>
    public int GrpcPort { get; set; }

    /// <summary>Address to listen on (loopback by default).</summary>
    public IPAddress Address { get; set; } = IPAddress.Loopback;

    /// <summary>Start in the degraded mode (payment gateway timeouts).</summary>
    public bool Degraded { get; set; }

    /// <summary>Bearer token callers must present.</summary>
    public string Token { get; set; } = "";

    /// <summary>Time source of the simulation.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;
}
