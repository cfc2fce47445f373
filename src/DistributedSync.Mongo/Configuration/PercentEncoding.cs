using System.Text;

namespace DistributedSync.Mongo.Configuration;

/// <summary>Strict percent-decoding (RFC 3986 section 2.1) of connection-string parts; decoded bytes are UTF-8.</summary>
internal static class PercentEncoding
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>True when every '%' in <paramref name="text"/> starts a <c>%XX</c> hex escape.</summary>
    internal static bool IsWellFormed(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '%')
            {
                if (i + 2 >= text.Length || !char.IsAsciiHexDigit(text[i + 1]) || !char.IsAsciiHexDigit(text[i + 2]))
                {
                    return false;
                }

                i += 2;
            }
        }

        return true;
    }

    /// <summary>Decodes <paramref name="text"/>; returns false when an escape is malformed or the bytes are not UTF-8.</summary>
    internal static bool TryDecode(string text, out string decoded)
    {
        if (!text.Contains('%', StringComparison.Ordinal))
        {
            decoded = text;
            return true;
        }

        if (!IsWellFormed(text))
        {
            decoded = string.Empty;
            return false;
        }

        var sb = new StringBuilder(text.Length);
        var bytes = new List<byte>();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '%')
            {
                bytes.Add((byte)((HexValue(text[i + 1]) << 4) | HexValue(text[i + 2])));
                i += 2;
                continue;
            }

            if (!Flush(bytes, sb))
            {
                decoded = string.Empty;
                return false;
            }

            sb.Append(text[i]);
        }

        if (!Flush(bytes, sb))
        {
            decoded = string.Empty;
            return false;
        }

        decoded = sb.ToString();
        return true;
    }

    private static bool Flush(List<byte> bytes, StringBuilder sb)
    {
        if (bytes.Count == 0)
        {
            return true;
        }

        try
        {
            sb.Append(StrictUtf8.GetString(bytes.ToArray()));
            bytes.Clear();
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        _ => c - 'A' + 10,
    };
}
