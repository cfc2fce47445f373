using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using DistributedSync.Mongo.Authentication;

namespace DistributedSync.Mongo.Configuration;

/// <summary>
/// A parsed MongoDB connection string (<c>mongodb://</c> or <c>mongodb+srv://</c>) per MongoDB's
/// connection-string and URI options specifications:
/// <c>mongodb://[user[:password]@]host1[:port1][,hostN[:portN]...][/[database]][?key=value[&amp;...]]</c>.
/// <para>
/// The user name, password, database, option keys and option values are percent-decoded; option
/// keys are case-insensitive. Unknown options, invalid option values, empty integer or boolean
/// values, deprecated keys and repeated keys are not errors: they are ignored and reported in
/// <see cref="Warnings"/>. Structural problems, conflicting options (see the URI options spec) and
/// incomplete credentials are errors (<see cref="MongoConnectionStringException"/>). Only '&amp;'
/// separates options (the legacy ';' is not supported) and '+' is not decoded to a space.
/// </para>
/// <para>
/// <see cref="ToString"/> and every exception message show the password (and the values of
/// <c>proxyPassword</c> and <c>tlsCertificateKeyFilePassword</c>) as <c>****</c>; otherwise
/// <see cref="ToString"/> reproduces the string as given, so it parses back to the same hosts,
/// user, database and options.
/// </para>
/// </summary>
public sealed partial class MongoConnectionString
{
    private const string Redacted = "****";
    private readonly ParsedConnectionString _parsed;

    private MongoConnectionString(ParsedConnectionString parsed)
    {
        _parsed = parsed;
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in parsed.Options)
        {
            options[key] = value;
        }

        Options = new ReadOnlyDictionary<string, string>(options);
        OptionValues = new ReadOnlyDictionary<string, object>(
            new Dictionary<string, object>(parsed.Values, StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>"mongodb" or "mongodb+srv".</summary>
    public string Scheme => _parsed.Scheme;

    /// <summary>True for <c>mongodb+srv://</c>: the single host is an SRV service name to resolve (see <see cref="ResolveSeedList"/>).</summary>
    public bool IsSrv => _parsed.Scheme == "mongodb+srv";

    /// <summary>The hosts as written, in order (for SRV: the one service host name).</summary>
    public IReadOnlyList<MongoHost> Hosts => _parsed.Hosts;

    /// <summary>The decoded user name, or null when the string has no user information.</summary>
    public string? Username => _parsed.Username;

    /// <summary>The decoded password, or null when none was given (<c>user@</c>); empty for <c>user:@</c>.</summary>
    public string? Password => _parsed.Password;

    /// <summary>The decoded database after the hosts (the default auth source), or null.</summary>
    public string? DatabaseName => _parsed.Database;

    /// <summary>
    /// The credential the string asks for (user information or <c>authMechanism</c> present), with
    /// the auth source resolved per mechanism; null when no authentication is requested.
    /// </summary>
    public MongoCredential? Credential => _parsed.Credential;

    /// <summary>
    /// Every option as written, percent-decoded, keyed case-insensitively by the key as written
    /// (the last of repeated keys wins), including unknown options and invalid values that were
    /// ignored. The typed properties and <see cref="OptionValues"/> hold what is honoured.
    /// </summary>
    public IReadOnlyDictionary<string, string> Options { get; }

    /// <summary>
    /// The recognised options whose values were accepted, by canonical name (case-insensitive),
    /// typed: <see cref="bool"/>, <see cref="int"/>, <see cref="long"/> (wTimeoutMS, timeoutMS),
    /// <see cref="string"/>, <see cref="WriteConcernW"/> (w), a string dictionary
    /// (authMechanismProperties), a list of string dictionaries (readPreferenceTags) or a list of
    /// strings (compressors).
    /// </summary>
    public IReadOnlyDictionary<string, object> OptionValues { get; }

    /// <summary>What was ignored or deprecated, one message each; empty for a clean string. Never shows a password.</summary>
    public IReadOnlyList<string> Warnings => _parsed.Warnings;

    /// <summary>Parses <paramref name="connectionString"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="connectionString"/> is null.</exception>
    /// <exception cref="MongoConnectionStringException">The string is invalid; the message says why.</exception>
    public static MongoConnectionString Parse(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        return new MongoConnectionString(ConnectionStringParser.Parse(connectionString));
    }

    /// <summary>Parses <paramref name="connectionString"/>, returning false (and the reason) instead of throwing.</summary>
    public static bool TryParse(
        [NotNullWhen(true)] string? connectionString,
        [NotNullWhen(true)] out MongoConnectionString? result,
        [NotNullWhen(false)] out string? error)
    {
        result = null;
        if (connectionString is null)
        {
            error = "The connection string is null.";
            return false;
        }

        try
        {
            result = Parse(connectionString);
            error = null;
            return true;
        }
        catch (MongoConnectionStringException ex)
        {
            error = ex.Message;
            return false;
        }
    }

    /// <summary>Parses <paramref name="connectionString"/>, returning false instead of throwing.</summary>
    public static bool TryParse([NotNullWhen(true)] string? connectionString, [NotNullWhen(true)] out MongoConnectionString? result)
        => TryParse(connectionString, out result, out _);

    /// <summary>
    /// The seed list to connect to. For <c>mongodb://</c> these are <see cref="Hosts"/>. Resolving a
    /// <c>mongodb+srv://</c> string needs DNS SRV and TXT lookups, which this client cannot perform,
    /// so it throws <see cref="NotSupportedException"/>; the connection layer calls this when it
    /// connects, so an SRV string parses (and is validated) but cannot be used to connect.
    /// </summary>
    /// <exception cref="NotSupportedException">The string uses <c>mongodb+srv://</c>.</exception>
    public IReadOnlyList<MongoHost> ResolveSeedList()
        => IsSrv
            ? throw new NotSupportedException(
                $"mongodb+srv:// connection strings need DNS SRV/TXT lookups for '{Hosts[0].Host}', which this client does not support; list the hosts in a mongodb:// connection string instead.")
            : Hosts;

    /// <summary>The connection string as given, with the password and secret option values shown as <c>****</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder(_parsed.Scheme).Append("://");
        if (_parsed.RawUsername is not null)
        {
            sb.Append(_parsed.RawUsername);
            if (_parsed.HasPassword)
            {
                sb.Append(':').Append(Redacted);
            }

            sb.Append('@');
        }

        sb.Append(_parsed.RawHosts);
        if (_parsed.RawDatabase is not null)
        {
            sb.Append('/').Append(_parsed.RawDatabase);
        }

        if (_parsed.RawQuery is not null)
        {
            sb.Append('?').AppendJoin('&', _parsed.RawQuery.Select(RedactPair));
        }

        return sb.ToString();
    }

    private static string RedactPair(string pair)
    {
        var equals = pair.IndexOf('=', StringComparison.Ordinal);
        if (equals < 0 || !PercentEncoding.TryDecode(pair[..equals], out var key))
        {
            return pair;
        }

        return UriOptionCatalog.IsSensitive(key) ? pair[..(equals + 1)] + Redacted : pair;
    }
}
