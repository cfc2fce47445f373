using DistributedSync.Bson;

namespace DistributedSync.Mongo.Connections;

/// <summary>
/// What a server said about itself in its <c>hello</c> reply, plus the client's measured
/// round-trip time. Limits default to the values drivers assume when a reply omits them.
/// </summary>
public sealed record ServerDescription
{
    /// <summary>The default <c>maxBsonObjectSize</c>: 16 MiB.</summary>
    public const int DefaultMaxBsonObjectSize = 16 * 1024 * 1024;

    /// <summary>The default <c>maxMessageSizeBytes</c>: 48,000,000.</summary>
    public const int DefaultMaxMessageSizeBytes = 48_000_000;

    /// <summary>The default <c>maxWriteBatchSize</c>: 100,000.</summary>
    public const int DefaultMaxWriteBatchSize = 100_000;

    /// <summary>The server's <c>host:port</c>.</summary>
    public required string Endpoint { get; init; }

    /// <summary>The lowest wire version the server speaks.</summary>
    public int MinWireVersion { get; init; }

    /// <summary>The highest wire version the server speaks (17 for 6.0, 21 for 7.0, 25 for 8.0).</summary>
    public int MaxWireVersion { get; init; }

    /// <summary>The largest BSON document the server stores.</summary>
    public int MaxBsonObjectSize { get; init; } = DefaultMaxBsonObjectSize;

    /// <summary>The largest wire message the server accepts.</summary>
    public int MaxMessageSizeBytes { get; init; } = DefaultMaxMessageSizeBytes;

    /// <summary>The most statements one write command may carry.</summary>
    public int MaxWriteBatchSize { get; init; } = DefaultMaxWriteBatchSize;

    /// <summary>The session timeout, or null when the server does not support sessions.</summary>
    public int? LogicalSessionTimeoutMinutes { get; init; }

    /// <summary>True when the server accepts writes (a standalone always does).</summary>
    public bool IsWritablePrimary { get; init; }

    /// <summary>The replica set name, when the server is a replica set member.</summary>
    public string? SetName { get; init; }

    /// <summary>The server's identifier for the connection that ran the handshake, when given.</summary>
    public long? ServerConnectionId { get; init; }

    /// <summary>The SASL mechanisms the server offers for the user named in the handshake, when asked.</summary>
    public IReadOnlyList<string>? SaslSupportedMechanisms { get; init; }

    /// <summary>The exponentially weighted moving average of measured round trips.</summary>
    public TimeSpan AverageRoundTripTime { get; init; }

    /// <summary>When the description was taken (client clock, UTC).</summary>
    public DateTimeOffset LastUpdateTime { get; init; }

    /// <summary>The raw <c>hello</c> reply.</summary>
    public BsonDocument HelloReply { get; init; } = new();

    /// <summary>Reads the fields of a <c>hello</c> (or legacy <c>isMaster</c>) reply.</summary>
    public static ServerDescription FromHelloReply(string endpoint, BsonDocument reply, TimeSpan averageRoundTripTime, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(reply);
        return new ServerDescription
        {
            Endpoint = endpoint,
            MinWireVersion = ReadInt(reply, "minWireVersion") ?? 0,
            MaxWireVersion = ReadInt(reply, "maxWireVersion") ?? 0,
            MaxBsonObjectSize = Positive(ReadInt(reply, "maxBsonObjectSize")) ?? DefaultMaxBsonObjectSize,
            MaxMessageSizeBytes = Positive(ReadInt(reply, "maxMessageSizeBytes")) ?? DefaultMaxMessageSizeBytes,
            MaxWriteBatchSize = Positive(ReadInt(reply, "maxWriteBatchSize")) ?? DefaultMaxWriteBatchSize,
            LogicalSessionTimeoutMinutes = ReadInt(reply, "logicalSessionTimeoutMinutes"),
            IsWritablePrimary = (reply.GetValueOrDefault("isWritablePrimary") ?? reply.GetValueOrDefault("ismaster"))?.ToBoolean() ?? false,
            SetName = reply.GetValueOrDefault("setName") is BsonString s ? s.Value : null,
            ServerConnectionId = reply.GetValueOrDefault("connectionId") is { IsNumeric: true } id ? id.ToInt64() : null,
            SaslSupportedMechanisms = reply.GetValueOrDefault("saslSupportedMechs") is BsonArray mechs
                ? [.. mechs.OfType<BsonString>().Select(m => m.Value)]
                : null,
            AverageRoundTripTime = averageRoundTripTime,
            LastUpdateTime = now,
            HelloReply = reply,
        };
    }

    private static int? ReadInt(BsonDocument reply, string name)
        => reply.GetValueOrDefault(name) is { IsNumeric: true } v ? (int)Math.Clamp(v.ToInt64(), int.MinValue, int.MaxValue) : null;

    private static int? Positive(int? value) => value is > 0 ? value : null;
}
