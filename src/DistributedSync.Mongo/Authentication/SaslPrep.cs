using System.Globalization;
using System.Text;

namespace DistributedSync.Mongo.Authentication;

/// <summary>
/// SASLprep (RFC 4013): the stringprep (RFC 3454) profile MongoDB applies to SCRAM-SHA-256
/// passwords. The steps, in order:
/// <list type="number">
/// <item>unassigned code points (table A.1) are rejected when preparing a <em>stored</em> string,
/// which is what SCRAM (RFC 5802 section 2.2) asks for and what <see cref="Prepare(string)"/> does;
/// <see cref="Prepare(string, bool)"/> with <c>allowUnassigned: true</c> gives the "query" variant;</item>
/// <item>non-ASCII spaces (table C.1.2) are mapped to U+0020 and the characters "commonly mapped to
/// nothing" (table B.1) are removed;</item>
/// <item>the result is normalised to Unicode form KC (<see cref="string.Normalize(NormalizationForm)"/>,
/// backed by ICU);</item>
/// <item>prohibited output is rejected: tables C.1.2, C.2.1, C.2.2, C.3, C.4, C.5, C.6, C.7, C.8
/// and C.9 (lone UTF-16 surrogates count as C.5);</item>
/// <item>the bidirectional rule of RFC 3454 section 6: a string holding any right-to-left character
/// (table D.1) must hold no left-to-right character (table D.2) and must start and end with a
/// right-to-left character.</item>
/// </list>
/// "Unassigned" means unassigned in Unicode 3.2, the version RFC 3454 is defined against, so a
/// stored string holding a character added to Unicode later (an emoji, say) is rejected; that is
/// the behaviour of MongoDB's other drivers too. Error messages name the offending code point and
/// the table, never the whole input (which is usually a password).
/// </summary>
public static class SaslPrep
{
    /// <summary>Prepares a stored string (unassigned code points are prohibited).</summary>
    /// <exception cref="ArgumentException">The string holds a prohibited or unassigned code point, a lone surrogate, or violates the bidirectional rule.</exception>
    public static string Prepare(string value) => Prepare(value, allowUnassigned: false);

    /// <summary>Prepares <paramref name="value"/>; <paramref name="allowUnassigned"/> selects the "query" variant.</summary>
    /// <exception cref="ArgumentException">The string holds a prohibited code point (or, unless allowed, an unassigned one), a lone surrogate, or violates the bidirectional rule.</exception>
    public static string Prepare(string value, bool allowUnassigned)
    {
        ArgumentNullException.ThrowIfNull(value);
        var mapped = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var codePoint = ReadCodePoint(value, ref i);
            if (!allowUnassigned && StringPrepTables.Contains(StringPrepTables.UnassignedA1, codePoint))
            {
                throw Rejected(codePoint, "is unassigned in Unicode 3.2 (RFC 3454 table A.1) and SASLprep prohibits unassigned code points in stored strings");
            }

            if (StringPrepTables.Contains(StringPrepTables.MappedToNothingB1, codePoint))
            {
                continue;
            }

            if (StringPrepTables.Contains(StringPrepTables.NonAsciiSpaceC12, codePoint))
            {
                mapped.Append(' ');
                continue;
            }

            mapped.Append(char.ConvertFromUtf32(codePoint));
        }

        var normalized = mapped.ToString().Normalize(NormalizationForm.FormKC);
        CheckOutput(normalized, allowUnassigned);
        return normalized;
    }

    private static void CheckOutput(string normalized, bool allowUnassigned)
    {
        var hasRandAL = false;
        var hasL = false;
        int first = -1, last = -1;
        for (var i = 0; i < normalized.Length; i++)
        {
            var codePoint = ReadCodePoint(normalized, ref i);
            var table = ProhibitedTable(codePoint);
            if (table is not null)
            {
                throw Rejected(codePoint, $"is prohibited by SASLprep (RFC 3454 table {table})");
            }

            if (!allowUnassigned && StringPrepTables.Contains(StringPrepTables.UnassignedA1, codePoint))
            {
                throw Rejected(codePoint, "is unassigned in Unicode 3.2 (RFC 3454 table A.1) after normalisation");
            }

            var isRandAL = StringPrepTables.Contains(StringPrepTables.RandALCatD1, codePoint);
            hasRandAL |= isRandAL;
            hasL |= StringPrepTables.Contains(StringPrepTables.LCatD2, codePoint);
            if (first < 0)
            {
                first = isRandAL ? 1 : 0;
            }

            last = isRandAL ? 1 : 0;
        }

        if (hasRandAL && hasL)
        {
            throw new ArgumentException(
                "SASLprep rejected the string: it mixes right-to-left characters (RFC 3454 table D.1) with left-to-right characters (table D.2), which the bidirectional rule of RFC 3454 section 6 forbids.",
                "value");
        }

        if (hasRandAL && (first != 1 || last != 1))
        {
            throw new ArgumentException(
                "SASLprep rejected the string: a string containing right-to-left characters (RFC 3454 table D.1) must start and end with one (RFC 3454 section 6).",
                "value");
        }
    }

    private static string? ProhibitedTable(int codePoint)
    {
        if (StringPrepTables.Contains(StringPrepTables.NonAsciiSpaceC12, codePoint))
        {
            return "C.1.2, non-ASCII space characters";
        }

        if (StringPrepTables.Contains(StringPrepTables.AsciiControlC21, codePoint))
        {
            return "C.2.1, ASCII control characters";
        }

        if (StringPrepTables.Contains(StringPrepTables.NonAsciiControlC22, codePoint))
        {
            return "C.2.2, non-ASCII control characters";
        }

        if (StringPrepTables.Contains(StringPrepTables.PrivateUseC3, codePoint))
        {
            return "C.3, private use";
        }

        if (StringPrepTables.Contains(StringPrepTables.NonCharacterC4, codePoint))
        {
            return "C.4, non-character code points";
        }

        if (StringPrepTables.Contains(StringPrepTables.SurrogateC5, codePoint))
        {
            return "C.5, surrogate codes";
        }

        if (StringPrepTables.Contains(StringPrepTables.NotPlainTextC6, codePoint))
        {
            return "C.6, inappropriate for plain text";
        }

        if (StringPrepTables.Contains(StringPrepTables.NotCanonicalC7, codePoint))
        {
            return "C.7, inappropriate for canonical representation";
        }

        if (StringPrepTables.Contains(StringPrepTables.DisplayPropertyC8, codePoint))
        {
            return "C.8, change display properties or deprecated";
        }

        return StringPrepTables.Contains(StringPrepTables.TaggingC9, codePoint) ? "C.9, tagging characters" : null;
    }

    /// <summary>Reads the code point at <paramref name="i"/>, advancing past a surrogate pair; a lone surrogate is a C.5 error.</summary>
    private static int ReadCodePoint(string s, ref int i)
    {
        var c = s[i];
        if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
        {
            i++;
            return char.ConvertToUtf32(c, s[i]);
        }

        if (char.IsSurrogate(c))
        {
            throw Rejected(c, "is a lone UTF-16 surrogate; SASLprep prohibits surrogate codes (RFC 3454 table C.5)");
        }

        return c;
    }

    private static ArgumentException Rejected(int codePoint, string reason)
        => new($"SASLprep rejected the string: U+{codePoint.ToString("X4", CultureInfo.InvariantCulture)} {reason}.", "value");
}
