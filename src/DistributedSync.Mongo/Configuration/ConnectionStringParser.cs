using DistributedSync.Mongo.Authentication;

namespace DistributedSync.Mongo.Configuration;

/// <summary>The raw and decoded parts of a parsed connection string.</summary>
internal sealed record ParsedConnectionString(
    string Scheme,
    string? RawUsername,
    bool HasPassword,
    string RawHosts,
    string? RawDatabase,
    IReadOnlyList<string>? RawQuery,
    IReadOnlyList<MongoHost> Hosts,
    string? Username,
    string? Password,
    string? Database,
    IReadOnlyList<KeyValuePair<string, string>> Options,
    IReadOnlyDictionary<string, object> Values,
    MongoCredential? Credential,
    IReadOnlyList<string> Warnings);

/// <summary>
/// Splits a connection string as the connection-string spec's reference algorithm does: scheme,
/// then the host information up to the first '/' or '?', the user information before its last '@',
/// the hosts split on ',', the auth database up to '?', then the options. Every message is built
/// so that text which may be a password is shown as <c>****</c>: anything from the first ':' after
/// the scheme up to the last '@' of the string counts as possibly secret, and the decoded password
/// itself is scrubbed from messages as a final safeguard.
/// </summary>
internal sealed class ConnectionStringParser
{
    private const string Srv = "mongodb+srv";
    private static readonly char[] DatabaseForbidden = ['/', '\\', ' ', '"', '$'];

    private readonly string _text;
    private readonly int _secretStart;
    private readonly int _secretEnd;
    private readonly List<string> _warnings = [];
    private string? _password;

    private ConnectionStringParser(string text, int schemeEnd)
    {
        _text = text;
        var lastAt = text.LastIndexOf('@');
        var colon = lastAt > schemeEnd ? text.IndexOf(':', schemeEnd, lastAt - schemeEnd) : -1;
        (_secretStart, _secretEnd) = colon >= 0 ? (colon + 1, lastAt) : (-1, -1);
    }

    internal static ParsedConnectionString Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new MongoConnectionStringException("The connection string is empty.");
        }

        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        var scheme = schemeEnd >= 0 ? text[..schemeEnd] : null;
        if (scheme is null || !(scheme.Equals("mongodb", StringComparison.OrdinalIgnoreCase) || scheme.Equals(Srv, StringComparison.OrdinalIgnoreCase)))
        {
            var found = scheme is null || scheme.Contains('@', StringComparison.Ordinal) ? "none" : $"'{scheme}'";
            throw new MongoConnectionStringException($"The connection string must start with 'mongodb://' or 'mongodb+srv://' (scheme found: {found}).");
        }

        var parser = new ConnectionStringParser(text, schemeEnd + 3);
        try
        {
            return parser.Run(scheme.ToLowerInvariant(), schemeEnd + 3);
        }
        catch (MongoConnectionStringException ex)
        {
            throw new MongoConnectionStringException(parser.Scrub(ex.Message));
        }
    }

    private ParsedConnectionString Run(string scheme, int start)
    {
        var hostEnd = _text.IndexOfAny(['/', '?'], start);
        if (hostEnd < 0)
        {
            hostEnd = _text.Length;
        }

        var queryStart = _text.IndexOf('?', hostEnd);
        var pathEnd = queryStart < 0 ? _text.Length : queryStart;
        if (hostEnd < _text.Length && _text[hostEnd] == '/' && _text.IndexOf('@', hostEnd, pathEnd - hostEnd) >= 0)
        {
            throw Error("The user name or password contains an unescaped '/' (or the database name contains '@'); percent-encode '/' as %2F and '@' as %40.");
        }

        var atIndex = _text.LastIndexOf('@', hostEnd - 1, hostEnd - start);
        string? rawUser = null;
        string? username = null;
        string? password = null;
        var hasPassword = false;
        if (atIndex >= 0)
        {
            (rawUser, username, password, hasPassword) = ParseUserInfo(start, atIndex);
            _password = password;
        }

        var hostsStart = atIndex >= 0 ? atIndex + 1 : start;
        var rawHosts = _text[hostsStart..hostEnd];
        var hosts = ParseHosts(rawHosts, hostsStart, scheme == Srv);

        string? rawDatabase = null;
        string? database = null;
        if (hostEnd < _text.Length && _text[hostEnd] == '/')
        {
            rawDatabase = _text[(hostEnd + 1)..pathEnd];
            database = ParseDatabase(rawDatabase, hostEnd + 1);
        }

        var (rawQuery, options) = ParseQuery(queryStart);
        var optionParser = new UriOptionParser(_warnings);
        optionParser.Parse(options);
        UriOptionRules.Validate(optionParser, scheme == Srv, hosts.Count);
        var credential = CredentialFactory.Create(atIndex >= 0, username, password, database, optionParser.Values);

        return new ParsedConnectionString(
            scheme, rawUser, hasPassword, rawHosts, rawDatabase, rawQuery, hosts, username, password, database,
            options.Select(o => KeyValuePair.Create(o.Key, o.Value)).ToList(),
            optionParser.Values,
            credential,
            _warnings.Select(Scrub).ToList());
    }

    private (string RawUser, string Username, string? Password, bool HasPassword) ParseUserInfo(int start, int atIndex)
    {
        var userInfo = _text[start..atIndex];
        if (userInfo.Contains('@', StringComparison.Ordinal))
        {
            throw Error("The user information contains an unescaped '@'; the user name and password must be URL encoded (write '@' as %40).");
        }

        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0 && userInfo.IndexOf(':', colon + 1) >= 0)
        {
            throw Error("The user information contains more than one ':'; the user name and password must be URL encoded (write ':' as %3A).");
        }

        foreach (var c in userInfo)
        {
            if (c is '?' or '#' or '[' or ']' || char.IsWhiteSpace(c) || char.IsControl(c))
            {
                throw Error($"The user information contains the character U+{(int)c:X4}, which must be URL encoded.");
            }
        }

        var rawUser = colon >= 0 ? userInfo[..colon] : userInfo;
        if (!PercentEncoding.TryDecode(rawUser, out var username))
        {
            throw Error($"The user name '{Show(start, rawUser.Length)}' has a '%' that is not followed by two hex digits (or escapes that are not UTF-8); the user name and password must be URL encoded (write '%' as %25).");
        }

        string? password = null;
        if (colon >= 0 && !PercentEncoding.TryDecode(userInfo[(colon + 1)..], out password))
        {
            throw Error("The password has a '%' that is not followed by two hex digits (or escapes that are not UTF-8); the user name and password must be URL encoded (write '%' as %25).");
        }

        return (rawUser, username, password, colon >= 0);
    }

    private List<MongoHost> ParseHosts(string rawHosts, int offset, bool isSrv)
    {
        if (rawHosts.Length == 0)
        {
            throw Error("The connection string names no host.");
        }

        var hosts = new List<MongoHost>();
        var position = offset;
        foreach (var raw in rawHosts.Split(','))
        {
            if (!HostParser.TryParse(raw, Overlaps(position, raw.Length), out var host, out var problem))
            {
                throw Error($"Invalid host #{hosts.Count + 1}: {problem}");
            }

            hosts.Add(host);
            position += raw.Length + 1;
        }

        if (isSrv)
        {
            if (hosts.Count != 1)
            {
                throw Error("A mongodb+srv:// connection string must name exactly one host (the SRV service name).");
            }

            if (rawHosts.Contains(':', StringComparison.Ordinal) || hosts[0].Type != MongoHostType.Hostname)
            {
                throw Error("A mongodb+srv:// connection string must name a host name without a port (not an IP address or a socket).");
            }
        }

        return hosts;
    }

    private string? ParseDatabase(string raw, int offset)
    {
        if (!PercentEncoding.TryDecode(raw, out var database))
        {
            throw Error($"The database name '{Show(offset, raw.Length)}' has a '%' that is not followed by two hex digits.");
        }

        var bad = database.IndexOfAny(DatabaseForbidden);
        if (bad >= 0)
        {
            throw Error($"The database name '{Show(offset, raw.Length)}' contains '{database[bad]}'; database names cannot contain / \\ space \" or $.");
        }

        return database.Length == 0 ? null : database;
    }

    private (List<string>? Raw, List<RawOption> Options) ParseQuery(int queryStart)
    {
        var options = new List<RawOption>();
        if (queryStart < 0)
        {
            return (null, options);
        }

        var raw = _text[(queryStart + 1)..].Split('&').ToList();
        var position = queryStart + 1;
        foreach (var pair in raw)
        {
            var redact = Overlaps(position, pair.Length);
            var shown = Show(position, pair.Length);
            position += pair.Length + 1;
            if (pair.Length == 0)
            {
                continue;
            }

            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                throw Error($"The option '{shown}' has no value; options must be written as key=value.");
            }

            if (!PercentEncoding.TryDecode(pair[..equals], out var key) || !PercentEncoding.TryDecode(pair[(equals + 1)..], out var value))
            {
                throw Error($"The option '{shown}' has a '%' that is not followed by two hex digits (or escapes that are not UTF-8).");
            }

            if (key.Length == 0)
            {
                throw Error($"The option '{shown}' has an empty key.");
            }

            options.Add(new RawOption(key, value, redact));
        }

        return (raw, options);
    }

    /// <summary>Replaces any text that is (or may be) the password with <c>****</c>.</summary>
    private string Scrub(string message)
    {
        string?[] secrets = [_password, _secretStart >= 0 ? _text[_secretStart.._secretEnd] : null];
        foreach (var secret in secrets)
        {
            if (secret is { Length: >= 3 })
            {
                message = message.Replace(secret, "****", StringComparison.Ordinal);
            }
        }

        return message;
    }

    private bool Overlaps(int start, int length) => _secretStart >= 0 && start < _secretEnd && start + length > _secretStart;

    private string Show(int start, int length) => Overlaps(start, length) ? "****" : _text.Substring(start, length);

    private static MongoConnectionStringException Error(string message) => new(message);
}
