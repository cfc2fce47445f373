using System.Globalization;
using System.Text;

namespace DistributedSync.Bson;

/// <summary>The to-string algorithm of the BSON Decimal128 specification.</summary>
public readonly partial struct Decimal128
{
    /// <summary>
    /// The specification's string form: "NaN" for every NaN, "Infinity" / "-Infinity", and for
    /// finite values the coefficient's digits in plain notation when the exponent is at most 0
    /// and the adjusted exponent (exponent + digits - 1) is at least -6, otherwise scientific
    /// notation <c>d[.ddd]E±n</c>. The result parses back to the same encoding (except for NaN
    /// payloads, signs and signalling bits, and non-canonical coefficients, which read as 0).
    /// </summary>
    public override string ToString()
    {
        if (IsNaN)
        {
            return "NaN";
        }

        if (IsInfinity)
        {
            return IsNegative ? "-Infinity" : "Infinity";
        }

        var digits = Coefficient.ToString(CultureInfo.InvariantCulture);
        var exponent = Exponent;
        var adjusted = exponent + digits.Length - 1;
        var text = new StringBuilder(digits.Length + 16);
        if (IsNegative)
        {
            text.Append('-');
        }

        if (exponent <= 0 && adjusted >= -6)
        {
            AppendPlain(text, digits, exponent);
        }
        else
        {
            text.Append(digits[0]);
            if (digits.Length > 1)
            {
                text.Append('.').Append(digits, 1, digits.Length - 1);
            }

            text.Append('E').Append(adjusted < 0 ? '-' : '+').Append(Math.Abs(adjusted).ToString(CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    private static void AppendPlain(StringBuilder text, string digits, int exponent)
    {
        if (exponent == 0)
        {
            text.Append(digits);
            return;
        }

        // The point goes -exponent characters from the right of the digits.
        var point = digits.Length + exponent;
        if (point > 0)
        {
            text.Append(digits, 0, point).Append('.').Append(digits, point, digits.Length - point);
        }
        else
        {
            text.Append("0.").Append('0', -point).Append(digits);
        }
    }
}
