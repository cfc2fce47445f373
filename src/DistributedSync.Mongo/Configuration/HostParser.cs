using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace DistributedSync.Mongo.Configuration;

/// <summary>Parses one host identifier of a connection string.</summary>
internal static class HostParser
{
    /// <summary>
    /// Parses <paramref name="raw"/>; on failure <paramref name="error"/> explains why. With
    /// <paramref name="redact"/> the raw text is never quoted (it may hold a misplaced password).
    /// </summary>
    internal static bool TryParse(string raw, bool redact, [NotNullWhen(true)] out MongoHost? host, [NotNullWhen(false)] out string? error)
    {
        var shown = redact ? "****" : raw;
        host = null;
        if (raw.Length == 0)
        {
            error = "a host is empty (check for a stray ',' or a missing host).";
            return false;
        }

        if (raw[0] == '[')
        {
            return TryParseIPLiteral(raw, shown, out host, out error);
        }

        if (!PercentEncoding.TryDecode(raw, out var decoded))
        {
            error = $"the host '{shown}' has a '%' that is not followed by two hex digits or escapes that are not UTF-8.";
            return false;
        }

        if (decoded.Contains('/', StringComparison.Ordinal))
        {
            if (!decoded.EndsWith(".sock", StringComparison.Ordinal))
            {
                error = $"the host '{shown}' contains '/', but only Unix domain socket paths (ending in '.sock') may, and they must be percent-encoded.";
                return false;
            }

            host = new MongoHost(decoded, 0, MongoHostType.UnixSocket);
            error = null;
            return true;
        }

        var name = decoded;
        var port = MongoHost.DefaultPort;
        var colon = decoded.LastIndexOf(':');
        if (colon >= 0)
        {
            name = decoded[..colon];
            if (!TryParsePort(decoded[(colon + 1)..], shown, out port, out error))
            {
                return false;
            }
        }

        if (name.Length == 0)
        {
            error = $"the host '{shown}' has a port but no host name.";
            return false;
        }

        foreach (var c in name)
        {
            if (c == ':')
            {
                error = $"the host '{shown}' contains more than one ':'; an IPv6 address must be written in brackets, e.g. [::1]:27017.";
                return false;
            }

            if (char.IsWhiteSpace(c) || char.IsControl(c) || c is '@' or '?' or '#' or '[' or ']' or '\\' or ',')
            {
                error = $"the host '{shown}' contains the character '{c}' (U+{(int)c:X4}), which a host name cannot contain.";
                return false;
            }
        }

        var type = IsIPv4(name) ? MongoHostType.IPv4 : MongoHostType.Hostname;
        host = new MongoHost(name, port, type);
        error = null;
        return true;
    }

    private static bool TryParseIPLiteral(string raw, string shown, [NotNullWhen(true)] out MongoHost? host, [NotNullWhen(false)] out string? error)
    {
        host = null;
        var close = raw.IndexOf(']', StringComparison.Ordinal);
        if (close < 0)
        {
            error = $"the IP literal '{shown}' has no closing ']'.";
            return false;
        }

        var rest = raw[(close + 1)..];
        var port = MongoHost.DefaultPort;
        if (rest.Length > 0)
        {
            if (rest[0] != ':')
            {
                error = $"the IP literal '{shown}' must be followed by ':<port>' or nothing.";
                return false;
            }

            if (!TryParsePort(rest[1..], shown, out port, out error))
            {
                return false;
            }
        }

        if (!PercentEncoding.TryDecode(raw[1..close], out var address)
            || !IPAddress.TryParse(address, out var ip) || ip.AddressFamily != AddressFamily.InterNetworkV6)
        {
            error = $"'{shown}' is not a valid IPv6 literal.";
            return false;
        }

        host = new MongoHost(address, port, MongoHostType.IPLiteral);
        error = null;
        return true;
    }

    private static bool TryParsePort(string text, string shown, out int port, [NotNullWhen(false)] out string? error)
    {
        port = 0;
        if (text.Length == 0)
        {
            error = $"the host '{shown}' ends with ':' but has no port.";
            return false;
        }

        if (text.Length > 5 || !text.All(char.IsAsciiDigit)
            || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
        {
            error = $"the host '{shown}' has an invalid port; a port must be an integer from 1 to 65535.";
            return false;
        }

        error = null;
        return true;
    }

    private static bool IsIPv4(string name)
    {
        var parts = name.Split('.');
        return parts.Length == 4 && parts.All(p => p.Length is >= 1 and <= 3 && p.All(char.IsAsciiDigit)
            && int.Parse(p, NumberStyles.None, CultureInfo.InvariantCulture) <= 255);
    }
}
