namespace DistributedSync.Mongo.Configuration;

/// <summary>Typed views of the connection, pool and monitoring options, with their defaults.</summary>
public sealed partial class MongoConnectionString
{
    /// <summary><c>appName</c>: sent in the handshake's client metadata (at most 128 bytes); null when absent.</summary>
    public string? AppName => GetString("appName");

    /// <summary><c>directConnection</c>: true for a single-server (Single topology) connection; null when absent (discovery decides).</summary>
    public bool? DirectConnection => GetBoolean("directConnection");

    /// <summary><c>replicaSet</c>: the required replica set name, or null.</summary>
    public string? ReplicaSet => GetString("replicaSet");

    /// <summary><c>loadBalanced</c>: connect through a load balancer. Default false.</summary>
    public bool LoadBalanced => GetBoolean("loadBalanced") ?? false;

    /// <summary><c>connectTimeoutMS</c>: how long opening a connection may take. Default 10,000 ms; 0 means no timeout (<see cref="Timeout.InfiniteTimeSpan"/>).</summary>
    public TimeSpan ConnectTimeout => Milliseconds("connectTimeoutMS", 10_000);

    /// <summary><c>socketTimeoutMS</c>: how long a send or receive may take. Default: no timeout (<see cref="Timeout.InfiniteTimeSpan"/>, also for 0).</summary>
    public TimeSpan SocketTimeout => Milliseconds("socketTimeoutMS", 0);

    /// <summary><c>serverSelectionTimeoutMS</c>: how long to look for a suitable server. Default 30,000 ms.</summary>
    public TimeSpan ServerSelectionTimeout => Milliseconds("serverSelectionTimeoutMS", 30_000);

    /// <summary><c>heartbeatFrequencyMS</c>: the interval between server checks (at least 500 ms). Default 10,000 ms.</summary>
    public TimeSpan HeartbeatFrequency => Milliseconds("heartbeatFrequencyMS", 10_000);

    /// <summary><c>localThresholdMS</c>: the latency window for server selection. Default 15 ms.</summary>
    public TimeSpan LocalThreshold => TimeSpan.FromMilliseconds(GetInt32("localThresholdMS") ?? 15);

    /// <summary><c>maxPoolSize</c>: the most connections per server, checked-out ones included. Default 100; 0 means no limit.</summary>
    public int MaxPoolSize => GetInt32("maxPoolSize") ?? 100;

    /// <summary><c>minPoolSize</c>: connections kept open per server even when idle. Default 0.</summary>
    public int MinPoolSize => GetInt32("minPoolSize") ?? 0;

    /// <summary><c>maxConnecting</c>: the most connections a pool establishes at once. Default 2.</summary>
    public int MaxConnecting => GetInt32("maxConnecting") ?? 2;

    /// <summary><c>maxIdleTimeMS</c>: how long a pooled connection may stay idle before it is closed. Default: no limit (<see cref="Timeout.InfiniteTimeSpan"/>, also for 0).</summary>
    public TimeSpan MaxIdleTime => Milliseconds("maxIdleTimeMS", 0);

    /// <summary><c>waitQueueTimeoutMS</c>: how long a check-out may wait for a free connection. Default 120,000 ms.</summary>
    public TimeSpan WaitQueueTimeout => Milliseconds("waitQueueTimeoutMS", 120_000);

    /// <summary><c>timeoutMS</c>: the client-side operation timeout; null when absent, <see cref="Timeout.InfiniteTimeSpan"/> for 0.</summary>
    public TimeSpan? OperationTimeout => OptionValues.TryGetValue("timeoutMS", out var v) && v is long ms
        ? ms == 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(ms)
        : null;

    /// <summary><c>compressors</c>: the compressors offered to the server, in preference order. Default none.</summary>
    public IReadOnlyList<string> Compressors
        => OptionValues.TryGetValue("compressors", out var v) ? (IReadOnlyList<string>)v : [];

    /// <summary><c>srvServiceName</c>: the SRV service name (only with <c>mongodb+srv</c>). Default "mongodb".</summary>
    public string SrvServiceName => GetString("srvServiceName") ?? "mongodb";

    /// <summary><c>srvMaxHosts</c>: the most SRV results used (only with <c>mongodb+srv</c>). Default 0, no limit.</summary>
    public int SrvMaxHosts => GetInt32("srvMaxHosts") ?? 0;

    private string? GetString(string name) => OptionValues.TryGetValue(name, out var v) ? (string)v : null;

    private bool? GetBoolean(string name) => OptionValues.TryGetValue(name, out var v) ? (bool)v : null;

    private int? GetInt32(string name) => OptionValues.TryGetValue(name, out var v) ? (int)v : null;

    private TimeSpan Milliseconds(string name, int defaultValue)
    {
        var ms = GetInt32(name) ?? defaultValue;
        return ms == 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(ms);
    }
}
