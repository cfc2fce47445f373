using DistributedSync.Bson;

namespace DistributedSync.Emulator.Server;

/// <summary>
/// The MongoDB version the emulator presents itself as (7.0, wire version 21) and the limits a
/// standalone mongod of that version advertises in hello and buildInfo.
/// </summary>
public static class ServerVersion
{
    /// <summary>The version string buildInfo and serverStatus report.</summary>
    public const string Version = "7.0.14";

    /// <summary>The feature compatibility version getParameter reports.</summary>
    public const string FeatureCompatibilityVersion = "7.0";

    /// <summary>An identifier of the emulator build in buildInfo's <c>gitVersion</c> slot.</summary>
    public const string GitVersion = "d15c0e0ffee0d15c0e0ffee0d15c0e0ffee00700";

    /// <summary>The lowest wire version accepted (0, like mongod for external clients).</summary>
    public const int MinWireVersion = 0;

    /// <summary>The wire version of MongoDB 7.0.</summary>
    public const int MaxWireVersion = 21;

    /// <summary>The largest document a client may store (16 MiB).</summary>
    public const int MaxBsonObjectSize = 16 * 1024 * 1024;

    /// <summary>The largest message (48,000,000 bytes).</summary>
    public const int MaxMessageSizeBytes = 48_000_000;

    /// <summary>The most write statements in one insert/update/delete command.</summary>
    public const int MaxWriteBatchSize = 100_000;

    /// <summary>How long an idle logical session lives.</summary>
    public const int LogicalSessionTimeoutMinutes = 30;

    /// <summary>buildInfo's <c>versionArray</c>.</summary>
    public static BsonArray VersionArray() => [7, 0, 14, 0];
}
