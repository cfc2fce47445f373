using System.Globalization;
using System.Text;

namespace DistributedSync.Emulator.Auth;

/// <summary>
/// SASLprep (RFC 4013, the stringprep profile SCRAM-SHA-256 applies to passwords): map
/// non-ASCII spaces to U+0020 and drop "commonly mapped to nothing" characters, normalise to
/// NFKC, reject prohibited code points and check the bidirectional rule.
/// </summary>
/// <remarks>
/// Two tables are approximated from .NET's Unicode data rather than RFC 3454's Unicode 3.2
/// tables: unassigned code points (A.1) are those .NET reports as
/// <see cref="UnicodeCategory.OtherNotAssigned"/>, and the bidirectional classes (D.1, D.2) are
/// derived from the Hebrew/Arabic/Syriac/Thaana/NKo blocks and letter categories. ASCII
/// passwords, and those in common scripts, are prepared exactly.
/// </remarks>
public static class SaslPrep
{
    /// <summary>Prepares <paramref name="value"/> as a stored string.</summary>
    /// <exception cref="ArgumentException">The value contains a prohibited or unassigned code point, or breaks the bidirectional rule.</exception>
    public static string Prepare(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (IsPlainAscii(value))
        {
            return value;
        }

        var mapped = new StringBuilder(value.Length);
        foreach (var rune in value.EnumerateRunes())
        {
            if (IsMappedToNothing(rune.Value))
            {
                continue;
            }

            if (IsNonAsciiSpace(rune.Value))
            {
                mapped.Append(' ');
            }
            else
            {
                mapped.Append(rune.ToString());
            }
        }

        var normalized = mapped.ToString().Normalize(NormalizationForm.FormKC);
        var hasRandAL = false;
        var hasL = false;
        foreach (var rune in normalized.EnumerateRunes())
        {
            if (IsProhibited(rune.Value))
            {
                throw new ArgumentException($"SASLprep: the code point U+{rune.Value:X4} is prohibited.", nameof(value));
            }

            if (Rune.GetUnicodeCategory(rune) == UnicodeCategory.OtherNotAssigned)
            {
                throw new ArgumentException($"SASLprep: the code point U+{rune.Value:X4} is unassigned.", nameof(value));
            }

            hasRandAL |= IsRandAL(rune);
            hasL |= IsL(rune);
        }

        if (hasRandAL)
        {
            var runes = normalized.EnumerateRunes().ToList();
            if (hasL || !IsRandAL(runes[0]) || !IsRandAL(runes[^1]))
            {
                throw new ArgumentException("SASLprep: the string breaks the bidirectional rule.", nameof(value));
            }
        }

        return normalized;
    }

    private static bool IsPlainAscii(string value)
    {
        foreach (var c in value)
        {
            if (c is < (char)0x20 or > (char)0x7E)
            {
                return false;
            }
        }

        return true;
    }

    // RFC 3454 B.1.
    private static bool IsMappedToNothing(int c)
        => c is 0x00AD or 0x034F or 0x1806 or (>= 0x180B and <= 0x180D) or (>= 0x200B and <= 0x200D)
            or 0x2060 or (>= 0xFE00 and <= 0xFE0F) or 0xFEFF;

    // RFC 3454 C.1.2.
    private static bool IsNonAsciiSpace(int c)
        => c is 0x00A0 or 0x1680 or (>= 0x2000 and <= 0x200B) or 0x202F or 0x205F or 0x3000;

    // RFC 3454 C.1.2, C.2.1, C.2.2, C.3 - C.9.
    private static bool IsProhibited(int c)
        => IsNonAsciiSpace(c)
            || c is < 0x20 or 0x7F
            || c is (>= 0x80 and <= 0x9F) or 0x06DD or 0x070F or 0x180E or 0x200C or 0x200D or 0x2028 or 0x2029
            || c is (>= 0x2060 and <= 0x2063) or (>= 0x206A and <= 0x206F) or 0xFEFF or (>= 0xFFF9 and <= 0xFFFD)
            || c is (>= 0x1D173 and <= 0x1D17A)
            || c is (>= 0xE000 and <= 0xF8FF) or (>= 0xF0000 and <= 0xFFFFD) or (>= 0x100000 and <= 0x10FFFD)
            || c is (>= 0xFDD0 and <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE
            || c is (>= 0xD800 and <= 0xDFFF)
            || c is (>= 0x2FF0 and <= 0x2FFB)
            || c is 0x0340 or 0x0341 or 0x200E or 0x200F or (>= 0x202A and <= 0x202E)
            || c is 0xE0001 or (>= 0xE0020 and <= 0xE007F);

    private static bool IsRandAL(Rune rune)
    {
        var c = rune.Value;
        var rtlBlock = c is (>= 0x0590 and <= 0x08FF) or (>= 0xFB1D and <= 0xFDFF) or (>= 0xFE70 and <= 0xFEFE)
            or (>= 0x10800 and <= 0x10FFF) or (>= 0x1E800 and <= 0x1EFFF);
        if (!rtlBlock)
        {
            return false;
        }

        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.DecimalDigitNumber
                or UnicodeCategory.Format or UnicodeCategory.OtherNotAssigned => false,
            _ => true,
        };
    }

    private static bool IsL(Rune rune)
    {
        if (IsRandAL(rune))
        {
            return false;
        }

        return Rune.GetUnicodeCategory(rune) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter
            or UnicodeCategory.TitlecaseLetter or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
            or UnicodeCategory.SpacingCombiningMark;
    }
}
