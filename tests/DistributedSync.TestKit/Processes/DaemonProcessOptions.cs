namespace DistributedSync.TestKit.Processes;

/// <summary>How <see cref="DaemonProcess"/> starts the daemon (embedded nodes are always off: the caller owns the nodes).</summary>
public sealed record DaemonProcessOptions
{
    /// <summary>The nodes, in id order (node i gets Id i + 1); required, at least three.</summary>
    public required IReadOnlyList<string> NodeUris { get; init; }

    /// <summary>A folder for the daemon's log files and working directory; a temporary one when null (deleted on dispose).</summary>
    public string? WorkDirectory { get; init; }

    /// <summary>The HTTP port; a free one when 0. A restart keeps the port.</summary>
    public int HttpPort { get; init; }

    /// <summary><c>DistributedSync:Election:HeartbeatIntervalMs</c>; the shipped default when null.</summary>
    public int? HeartbeatIntervalMs { get; init; }

    /// <summary><c>DistributedSync:Election:FailureTimeoutMs</c>; the shipped default when null.</summary>
    public int? FailureTimeoutMs { get; init; }

    /// <summary>More <c>--Key=value</c> arguments (configuration overrides).</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];

    /// <summary>How long to wait for <c>GET /status</c> to answer.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The daemon's dll; found by <see cref="DaemonProcess.LocateDaemonDll"/> when null.</summary>
    public string? DaemonDll { get; init; }
}
