namespace DistributedSync.Daemon.Configuration;

/// <summary>
/// Embedded emulator nodes (<c>DistributedSync:Embedded</c>): when enabled, the daemon starts one
/// DistributedSync.Emulator child process per configured node, on the port of the node's URI.
/// </summary>
public sealed class EmbeddedOptions
{
    /// <summary>The default of <see cref="DataDirectory"/>.</summary>
    public const string DefaultDataDirectory = "data";

    /// <summary>The default of <see cref="StartTimeoutMs"/>.</summary>
    public const int DefaultStartTimeoutMs = 30_000;

    /// <summary>The default of <see cref="StopGraceMs"/>.</summary>
    public const int DefaultStopGraceMs = 10_000;

    /// <summary>
    /// Start the nodes as child processes (<c>:Enabled</c>, default false; the shipped
    /// <c>config/appsettings.json</c> sets it to true). Every node URI must then name a loopback
    /// host (<c>127.0.0.1</c>, <c>localhost</c>, <c>::1</c>).
    /// </summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// Where the nodes keep their data (<c>:DataDirectory</c>, default <c>data</c>), relative to
    /// the working directory unless absolute; node <c>n</c> uses <c>&lt;DataDirectory&gt;/&lt;n's Name&gt;</c>.
    /// </summary>
    public string DataDirectory { get; set; } = DefaultDataDirectory;

    /// <summary>How long each node may take to print "Waiting for connections" (<c>:StartTimeoutMs</c>, default 30000).</summary>
    public int StartTimeoutMs { get; set; } = DefaultStartTimeoutMs;

    /// <summary>How long a node may take to exit after SIGTERM before it is killed (<c>:StopGraceMs</c>, default 10000).</summary>
    public int StopGraceMs { get; set; } = DefaultStopGraceMs;

    /// <summary>
    /// The emulator to start (<c>:EmulatorPath</c>, default empty: <c>DistributedSync.Emulator.dll</c>
    /// beside the daemon). A <c>.dll</c> runs under the same <c>dotnet</c> host as the daemon;
    /// anything else is executed directly.
    /// </summary>
    public string? EmulatorPath { get; set; }
}
