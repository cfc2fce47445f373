using System.Collections.ObjectModel;

namespace DistributedSync.Mongo.Configuration;

/// <summary>Typed views of the authentication, TLS, read and write options, with their defaults.</summary>
public sealed partial class MongoConnectionString
{
    private static readonly IReadOnlyDictionary<string, string> NoProperties =
        new ReadOnlyDictionary<string, string>(new Dictionary<string, string>());

    /// <summary><c>authSource</c> as written, or null (see <see cref="Credential"/> for the resolved source).</summary>
    public string? AuthSource => GetString("authSource");

    /// <summary><c>authMechanism</c> in its canonical spelling (e.g. "SCRAM-SHA-256"), or null to negotiate.</summary>
    public string? AuthMechanism => GetString("authMechanism");

    /// <summary><c>authMechanismProperties</c>: the parsed <c>KEY:value</c> pairs (case-insensitive keys); empty when absent.</summary>
    public IReadOnlyDictionary<string, string> AuthMechanismProperties
        => OptionValues.TryGetValue("authMechanismProperties", out var v) ? (IReadOnlyDictionary<string, string>)v : NoProperties;

    /// <summary>
    /// <c>tls</c> (or its alias <c>ssl</c>; all instances must agree): whether to use TLS. Default
    /// false, except true for <c>mongodb+srv</c>. Other <c>tls*</c> options do not turn TLS on by
    /// themselves.
    /// </summary>
    public bool Tls => GetBoolean("tls") ?? GetBoolean("ssl") ?? IsSrv;

    /// <summary><c>tlsInsecure</c>: relax certificate and host name validation (implies both "allow invalid" options). Default false.</summary>
    public bool TlsInsecure => GetBoolean("tlsInsecure") ?? false;

    /// <summary><c>tlsAllowInvalidCertificates</c> (or <c>tlsInsecure</c>): accept any server certificate. Default false.</summary>
    public bool TlsAllowInvalidCertificates => GetBoolean("tlsAllowInvalidCertificates") ?? TlsInsecure;

    /// <summary><c>tlsAllowInvalidHostnames</c> (or <c>tlsInsecure</c>): skip the host name check. Default false.</summary>
    public bool TlsAllowInvalidHostnames => GetBoolean("tlsAllowInvalidHostnames") ?? TlsInsecure;

    /// <summary><c>tlsCAFile</c>: a PEM file of trusted certificate authorities; null for the system store.</summary>
    public string? TlsCAFile => GetString("tlsCAFile");

    /// <summary><c>tlsCertificateKeyFile</c>: the client certificate and key (PEM); null for none.</summary>
    public string? TlsCertificateKeyFile => GetString("tlsCertificateKeyFile");

    /// <summary><c>tlsCertificateKeyFilePassword</c>: decrypts the client key; never shown by <see cref="ToString"/>.</summary>
    public string? TlsCertificateKeyFilePassword => GetString("tlsCertificateKeyFilePassword");

    /// <summary><c>w</c>: the default write concern's w (count, "majority" or tag); null for the server default.</summary>
    public WriteConcernW? W => OptionValues.TryGetValue("w", out var v) ? (WriteConcernW)v : null;

    /// <summary><c>wTimeoutMS</c>: the default write concern's wtimeout; null when absent (no timeout).</summary>
    public TimeSpan? WTimeout => OptionValues.TryGetValue("wTimeoutMS", out var v) ? TimeSpan.FromMilliseconds((long)v) : null;

    /// <summary><c>journal</c>: the default write concern's j; null when absent (server default).</summary>
    public bool? Journal => GetBoolean("journal");

    /// <summary><c>retryWrites</c>: retry a failed write once. Default true.</summary>
    public bool RetryWrites => GetBoolean("retryWrites") ?? true;

    /// <summary><c>retryReads</c>: retry a failed read once. Default true.</summary>
    public bool RetryReads => GetBoolean("retryReads") ?? true;

    /// <summary><c>readConcernLevel</c>: the default read concern level, or null.</summary>
    public string? ReadConcernLevel => GetString("readConcernLevel");

    /// <summary><c>readPreference</c>: the default read preference mode. Default <see cref="ReadPreferenceMode.Primary"/>.</summary>
    public ReadPreferenceMode ReadPreference => GetString("readPreference") switch
    {
        "primaryPreferred" => ReadPreferenceMode.PrimaryPreferred,
        "secondary" => ReadPreferenceMode.Secondary,
        "secondaryPreferred" => ReadPreferenceMode.SecondaryPreferred,
        "nearest" => ReadPreferenceMode.Nearest,
        _ => ReadPreferenceMode.Primary,
    };

    /// <summary><c>readPreferenceTags</c>: the tag sets in the order given (an empty set matches any server); empty when absent.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> ReadPreferenceTags
        => OptionValues.TryGetValue("readPreferenceTags", out var v) ? (IReadOnlyList<IReadOnlyDictionary<string, string>>)v : [];

    /// <summary><c>maxStalenessSeconds</c>: the most replication lag allowed for a secondary; null when absent or -1 (no limit).</summary>
    public int? MaxStalenessSeconds => GetInt32("maxStalenessSeconds") is int s && s >= 0 ? s : null;
}
