using System.Buffers;
using System.Globalization;

namespace DistributedSync.Bson.Json;

/// <summary>Text forms of the scalar values Extended JSON wraps: numbers, dates, UUIDs, base64, hex.</summary>
internal static class ExtendedJsonScalars
{
    /// <summary>The last millisecond written as an ISO-8601 string in relaxed mode (9999-12-31T23:59:59.999Z).</summary>
    public const long MaxIsoMilliseconds = 253402300799999L;

    private static readonly long UnixEpochTicks = DateTime.UnixEpoch.Ticks;

    /// <summary>Characters that need attention inside a JSON string: quote, backslash, C0 controls, surrogates.</summary>
    public static readonly SearchValues<char> CharsToEscape = SearchValues.Create(BuildCharsToEscape());

    /// <summary>
    /// Formats a finite double as the shortest text that parses back to the same bits, always
    /// with a fraction or an exponent so that it reads back as a double (1.0, -0.0, 1E+308).
    /// </summary>
    public static int FormatFiniteDouble(double value, Span<char> destination)
    {
        value.TryFormat(destination, out var n, "R", CultureInfo.InvariantCulture);
        if (destination[..n].IndexOfAny('.', 'E') < 0)
        {
            destination[n++] = '.';
            destination[n++] = '0';
        }

        return n;
    }

    /// <summary>The finite-or-not text used inside <c>$numberDouble</c>.</summary>
    public static string FormatDoubleWrapper(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "Infinity" : "-Infinity";
        }

        Span<char> text = stackalloc char[32];
        return new string(text[..FormatFiniteDouble(value, text)]);
    }

    /// <summary>Formats milliseconds in [0, <see cref="MaxIsoMilliseconds"/>] as RFC 3339 UTC, with milliseconds only when nonzero.</summary>
    public static string FormatIsoDate(long milliseconds)
    {
        var time = new DateTime(UnixEpochTicks + (milliseconds * TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
        var format = milliseconds % 1000 == 0 ? "yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'" : "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fff'Z'";
        return time.ToString(format, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Parses an RFC 3339 date-time: <c>YYYY-MM-DDTHH:MM:SS</c>, an optional fraction (digits
    /// past milliseconds are truncated), then <c>Z</c> or an offset <c>±HH:MM</c> / <c>±HHMM</c>.
    /// </summary>
    public static bool TryParseIsoDate(ReadOnlySpan<char> s, out long milliseconds, out string error)
    {
        milliseconds = 0;
        error = "expected an RFC 3339 date-time such as 2012-12-24T12:15:30.501Z";
        if (s.Length < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':'
            || !TryDigits(s[..4], out var year) || !TryDigits(s.Slice(5, 2), out var month) || !TryDigits(s.Slice(8, 2), out var day)
            || !TryDigits(s.Slice(11, 2), out var hour) || !TryDigits(s.Slice(14, 2), out var minute) || !TryDigits(s.Slice(17, 2), out var second))
        {
            return false;
        }

        var pos = 19;
        var fractionMs = 0;
        if (pos < s.Length && s[pos] == '.')
        {
            var digits = 0;
            pos++;
            while (pos < s.Length && char.IsAsciiDigit(s[pos]))
            {
                if (digits < 3)
                {
                    fractionMs = (fractionMs * 10) + (s[pos] - '0');
                }

                digits++;
                pos++;
            }

            if (digits == 0)
            {
                error = "expected digits after the '.' of the seconds";
                return false;
            }

            for (; digits < 3; digits++)
            {
                fractionMs *= 10;
            }
        }

        if (!TryParseOffset(s[pos..], out var offsetMinutes))
        {
            error = "expected 'Z' or a UTC offset like +01:00 after the time";
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            error = "the date or time is out of range (years 0001 to 9999, no leap seconds)";
            return false;
        }

        var ticks = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).Ticks - UnixEpochTicks;
        milliseconds = (ticks / TimeSpan.TicksPerMillisecond) + fractionMs - (offsetMinutes * 60_000L);
        error = string.Empty;
        return true;
    }

    /// <summary>Parses a UUID written as 8-4-4-4-12 hexadecimal digits with hyphens, or as 32 digits without.</summary>
    public static bool TryParseUuid(ReadOnlySpan<char> s, Span<byte> bytes)
    {
        Span<char> hex = stackalloc char[32];
        if (s.Length == 36)
        {
            if (s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-')
            {
                return false;
            }

            s[..8].CopyTo(hex);
            s.Slice(9, 4).CopyTo(hex[8..]);
            s.Slice(14, 4).CopyTo(hex[12..]);
            s.Slice(19, 4).CopyTo(hex[16..]);
            s.Slice(24, 12).CopyTo(hex[20..]);
        }
        else if (s.Length == 32)
        {
            s.CopyTo(hex);
        }
        else
        {
            return false;
        }

        return Convert.FromHexString(hex, bytes, out _, out var written) == OperationStatus.Done && written == 16;
    }

    /// <summary>Parses a binary subtype: one or two hexadecimal digits, either case.</summary>
    public static bool TryParseSubtype(ReadOnlySpan<char> s, out byte subtype)
        => byte.TryParse(s, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out subtype) && s.Length is 1 or 2;

    /// <summary>Decodes padded standard base64 (RFC 4648 section 4, no whitespace); null when malformed.</summary>
    public static byte[]? DecodeStrictBase64(string s)
    {
        if (s.Length % 4 != 0)
        {
            return null;
        }

        var padding = s.EndsWith("==", StringComparison.Ordinal) ? 2 : s.EndsWith('=') ? 1 : 0;
        var body = s.AsSpan(0, s.Length - padding);
        foreach (var c in body)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '+' && c != '/')
            {
                return null;
            }
        }

        var bytes = new byte[(s.Length / 4 * 3) - padding];
        return Convert.TryFromBase64String(s, bytes, out var written) && written == bytes.Length ? bytes : null;
    }

    /// <summary>Parses <c>[+-]?[0-9]+</c> into an Int64; false on other text or overflow.</summary>
    public static bool TryParseIntegerText(ReadOnlySpan<char> s, out long value)
    {
        value = 0;
        var digits = s.Length > 0 && s[0] is '+' or '-' ? s[1..] : s;
        return !digits.IsEmpty && !digits.ContainsAnyExceptInRange('0', '9')
            && long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>
    /// Parses the text of a <c>$numberDouble</c>: <c>Infinity</c>, <c>-Infinity</c>, <c>NaN</c>, or a
    /// decimal number with optional sign, fraction and exponent (<c>1</c>, <c>-0.0</c>, <c>.5</c>, <c>1e300</c>).
    /// </summary>
    public static bool TryParseDoubleText(string s, out double value)
    {
        switch (s)
        {
            case "Infinity": value = double.PositiveInfinity; return true;
            case "-Infinity": value = double.NegativeInfinity; return true;
            case "NaN": value = double.NaN; return true;
        }

        value = 0;
        var i = s.Length > 0 && s[0] is '+' or '-' ? 1 : 0;
        var mantissaDigits = 0;
        for (; i < s.Length && char.IsAsciiDigit(s[i]); i++)
        {
            mantissaDigits++;
        }

        if (i < s.Length && s[i] == '.')
        {
            for (i++; i < s.Length && char.IsAsciiDigit(s[i]); i++)
            {
                mantissaDigits++;
            }
        }

        if (mantissaDigits == 0)
        {
            return false;
        }

        if (i < s.Length && s[i] is 'e' or 'E')
        {
            i++;
            if (i < s.Length && s[i] is '+' or '-')
            {
                i++;
            }

            var start = i;
            for (; i < s.Length && char.IsAsciiDigit(s[i]); i++)
            {
            }

            if (i == start)
            {
                return false;
            }
        }

        return i == s.Length && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    private static bool TryParseOffset(ReadOnlySpan<char> s, out int minutes)
    {
        minutes = 0;
        if (s is "Z" or "z")
        {
            return true;
        }

        if (s.Length is not (5 or 6) || s[0] is not ('+' or '-'))
        {
            return false;
        }

        var minuteText = s.Length == 6 ? s[4..] : s[3..];
        if ((s.Length == 6 && s[3] != ':') || !TryDigits(s.Slice(1, 2), out var h) || !TryDigits(minuteText, out var m) || h > 23 || m > 59)
        {
            return false;
        }

        minutes = (s[0] == '-' ? -1 : 1) * ((h * 60) + m);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<char> s, out int value)
    {
        value = 0;
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }

    private static string BuildCharsToEscape()
    {
        var chars = new List<char> { '"', '\\' };
        for (var c = '\0'; c < ' '; c++)
        {
            chars.Add(c);
        }

        for (var c = '\uD800'; c <= '\uDFFF'; c++)
        {
            chars.Add(c);
        }

        return new string([.. chars]);
    }
}
