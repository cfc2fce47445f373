using System.Globalization;
using System.Text;

namespace DistributedSync.Mongo.Authentication;

/// <summary>Parsing and formatting of SCRAM messages (RFC 5802 section 7).</summary>
internal static class ScramAttributes
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>A parsed server-first message.</summary>
    internal readonly record struct ServerFirst(string Nonce, byte[] Salt, int Iterations);

    /// <summary>Escapes a user name as a SCRAM <c>saslname</c>: <c>=</c> becomes <c>=3D</c>, <c>,</c> becomes <c>=2C</c>.</summary>
    internal static string EscapeSaslName(string name)
        => name.Replace("=", "=3D", StringComparison.Ordinal).Replace(",", "=2C", StringComparison.Ordinal);

    /// <summary>True for a valid nonce: printable ASCII (0x21-0x7E) without ','.</summary>
    internal static bool IsPrintable(string value)
    {
        foreach (var c in value)
        {
            if (c is < '!' or > '~' or ',')
            {
                return false;
            }
        }

        return true;
    }

    internal static string DecodeUtf8(ReadOnlySpan<byte> bytes, string mechanism, string what)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw new MongoAuthenticationException(mechanism, $"the {what} message is not valid UTF-8.", ex);
        }
    }

    /// <summary>Parses <c>r=...,s=...,i=...[,ext]</c> and checks the nonce extends <paramref name="clientNonce"/>.</summary>
    internal static ServerFirst ParseServerFirst(string message, string clientNonce, string mechanism)
    {
        var parts = message.Split(',');
        if (parts[0].StartsWith("m=", StringComparison.Ordinal))
        {
            throw Error(mechanism, "the server requires a mandatory SCRAM extension (m=) that is not supported.");
        }

        if (parts.Length < 3)
        {
            throw Error(mechanism, "the server-first message must hold r=, s= and i= attributes.");
        }

        var nonce = Attribute(parts[0], 'r', mechanism, "server-first");
        if (!nonce.StartsWith(clientNonce, StringComparison.Ordinal) || nonce.Length <= clientNonce.Length)
        {
            throw Error(mechanism, "the server's nonce does not extend the client's nonce (possible replay or man-in-the-middle).");
        }

        if (!IsPrintable(nonce))
        {
            throw Error(mechanism, "the server's nonce holds characters other than printable ASCII.");
        }

        var saltText = Attribute(parts[1], 's', mechanism, "server-first");
        byte[] salt;
        try
        {
            salt = Convert.FromBase64String(saltText);
        }
        catch (FormatException ex)
        {
            throw new MongoAuthenticationException(mechanism, "the server's salt (s=) is not valid base64.", ex);
        }

        if (salt.Length == 0)
        {
            throw Error(mechanism, "the server's salt (s=) is empty.");
        }

        var iterationText = Attribute(parts[2], 'i', mechanism, "server-first");
        if (iterationText.Length == 0 || !iterationText.All(char.IsAsciiDigit)
            || !int.TryParse(iterationText, NumberStyles.None, CultureInfo.InvariantCulture, out var iterations))
        {
            throw Error(mechanism, $"the server's iteration count (i={iterationText}) is not a positive 32-bit integer.");
        }

        return new ServerFirst(nonce, salt, iterations);
    }

    /// <summary>Parses <c>v=&lt;base64&gt;</c> (the server signature) or throws for <c>e=&lt;error&gt;</c>.</summary>
    internal static byte[] ParseServerFinal(string message, string mechanism)
    {
        var first = message.Split(',')[0];
        if (first.StartsWith("e=", StringComparison.Ordinal))
        {
            throw Error(mechanism, $"the server reported '{first[2..]}'.");
        }

        var value = Attribute(first, 'v', mechanism, "server-final");
        try
        {
            return Convert.FromBase64String(value);
        }
        catch (FormatException ex)
        {
            throw new MongoAuthenticationException(mechanism, "the server signature (v=) is not valid base64.", ex);
        }
    }

    private static string Attribute(string part, char name, string mechanism, string what)
    {
        if (part.Length < 2 || part[0] != name || part[1] != '=')
        {
            throw Error(mechanism, $"the {what} message is malformed: expected the '{name}=' attribute.");
        }

        return part[2..];
    }

    private static MongoAuthenticationException Error(string mechanism, string message) => new(mechanism, message);
}
