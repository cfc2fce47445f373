namespace DistributedSync.Mongo.Configuration;

/// <summary>The value types of URI options.</summary>
internal enum UriOptionKind
{
    String,
    Boolean,
    Int32,
    Int64,
    Choice,
    KeyValuePairs,
    TagSets,
    StringList,
    WriteConcernW,
}

/// <summary>One option the parser recognises: canonical name, type, bounds and allowed values.</summary>
internal sealed record UriOptionDefinition(
    string Name,
    UriOptionKind Kind,
    long Min = long.MinValue,
    long Max = long.MaxValue,
    IReadOnlyList<string>? Choices = null,
    bool Sensitive = false);

/// <summary>
/// The URI options of MongoDB's URI options specification that the parser recognises. Options not
/// listed here are unknown: they are kept in <see cref="MongoConnectionString.Options"/> but ignored
/// with a warning.
/// </summary>
internal static class UriOptionCatalog
{
    /// <summary>Deprecated option names and their replacements (lower-case keys).</summary>
    internal static readonly IReadOnlyDictionary<string, string> DeprecatedAliases =
        new Dictionary<string, string>(StringComparer.Ordinal) { ["wtimeout"] = "wTimeoutMS" };

    /// <summary>The read preference modes, in their canonical spelling.</summary>
    internal static readonly string[] ReadPreferenceModes = ["primary", "primaryPreferred", "secondary", "secondaryPreferred", "nearest"];

    /// <summary>The compressor names MongoDB defines.</summary>
    internal static readonly string[] CompressorNames = ["snappy", "zlib", "zstd"];

    private static readonly Dictionary<string, UriOptionDefinition> ByLowerName = Build(
    [
        new("appName", UriOptionKind.String),
        new("authMechanism", UriOptionKind.String),
        new("authMechanismProperties", UriOptionKind.KeyValuePairs),
        new("authSource", UriOptionKind.String),
        new("compressors", UriOptionKind.StringList),
        new("connectTimeoutMS", UriOptionKind.Int32, Min: 0),
        new("directConnection", UriOptionKind.Boolean),
        new("heartbeatFrequencyMS", UriOptionKind.Int32, Min: 500),
        new("journal", UriOptionKind.Boolean),
        new("loadBalanced", UriOptionKind.Boolean),
        new("localThresholdMS", UriOptionKind.Int32, Min: 0),
        new("maxConnecting", UriOptionKind.Int32, Min: 1),
        new("maxIdleTimeMS", UriOptionKind.Int32, Min: 0),
        new("maxPoolSize", UriOptionKind.Int32, Min: 0),
        new("maxStalenessSeconds", UriOptionKind.Int32, Min: -1),
        new("minPoolSize", UriOptionKind.Int32, Min: 0),
        new("proxyHost", UriOptionKind.String),
        new("proxyPassword", UriOptionKind.String, Sensitive: true),
        new("proxyPort", UriOptionKind.Int32, Min: 0, Max: 65535),
        new("proxyUsername", UriOptionKind.String),
        new("readConcernLevel", UriOptionKind.String),
        new("readPreference", UriOptionKind.Choice, Choices: ReadPreferenceModes),
        new("readPreferenceTags", UriOptionKind.TagSets),
        new("replicaSet", UriOptionKind.String),
        new("retryReads", UriOptionKind.Boolean),
        new("retryWrites", UriOptionKind.Boolean),
        new("serverMonitoringMode", UriOptionKind.Choice, Choices: ["stream", "poll", "auto"]),
        new("serverSelectionTimeoutMS", UriOptionKind.Int32, Min: 1),
        new("serverSelectionTryOnce", UriOptionKind.Boolean),
        new("socketTimeoutMS", UriOptionKind.Int32, Min: 0),
        new("srvMaxHosts", UriOptionKind.Int32, Min: 0),
        new("srvServiceName", UriOptionKind.String),
        new("ssl", UriOptionKind.Boolean),
        new("timeoutMS", UriOptionKind.Int64, Min: 0),
        new("tls", UriOptionKind.Boolean),
        new("tlsAllowInvalidCertificates", UriOptionKind.Boolean),
        new("tlsAllowInvalidHostnames", UriOptionKind.Boolean),
        new("tlsCAFile", UriOptionKind.String),
        new("tlsCertificateKeyFile", UriOptionKind.String),
        new("tlsCertificateKeyFilePassword", UriOptionKind.String, Sensitive: true),
        new("tlsDisableCertificateRevocationCheck", UriOptionKind.Boolean),
        new("tlsDisableOCSPEndpointCheck", UriOptionKind.Boolean),
        new("tlsInsecure", UriOptionKind.Boolean),
        new("w", UriOptionKind.WriteConcernW),
        new("waitQueueTimeoutMS", UriOptionKind.Int32, Min: 1),
        new("wTimeoutMS", UriOptionKind.Int64, Min: 0),
        new("zlibCompressionLevel", UriOptionKind.Int32, Min: -1, Max: 9),
    ]);

    /// <summary>Finds a recognised option by name, ignoring case.</summary>
    internal static UriOptionDefinition? Find(string name)
        => ByLowerName.GetValueOrDefault(AsciiLower(name));

    /// <summary>True for options whose values are secrets (never shown).</summary>
    internal static bool IsSensitive(string name) => Find(name)?.Sensitive == true;

    /// <summary>Lower-cases ASCII A-Z only, as the connection-string spec normalises keys.</summary>
    internal static string AsciiLower(string name)
        => string.Create(name.Length, name, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                span[i] = c is >= 'A' and <= 'Z' ? (char)(c + 32) : c;
            }
        });

    private static Dictionary<string, UriOptionDefinition> Build(UriOptionDefinition[] definitions)
        => definitions.ToDictionary(d => AsciiLower(d.Name), StringComparer.Ordinal);
}
