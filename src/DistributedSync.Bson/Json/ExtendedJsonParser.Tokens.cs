using System.Globalization;

namespace DistributedSync.Bson.Json;

/// <summary>Numbers, literals, whitespace and error reporting.</summary>
internal ref partial struct ExtendedJsonParser
{
    private BsonValue ParseNumber(out JsonKind kind)
    {
        var start = _pos;
        if (Peek() == '-')
        {
            _pos++;
        }

        var c = Peek();
        if (c == '0')
        {
            _pos++;
            if (char.IsAsciiDigit(Peek()))
            {
                throw Error(_pos, "A JSON number may not have leading zeros.");
            }
        }
        else if (c is >= '1' and <= '9')
        {
            SkipDigits();
        }
        else
        {
            throw Error(_pos, $"Expected a digit after '-' but found {Describe(_pos)}.");
        }

        var integer = true;
        if (Peek() == '.')
        {
            integer = false;
            _pos++;
            if (!char.IsAsciiDigit(Peek()))
            {
                throw Error(_pos, $"Expected a digit after the decimal point but found {Describe(_pos)}.");
            }

            SkipDigits();
        }

        if (Peek() is 'e' or 'E')
        {
            integer = false;
            _pos++;
            if (Peek() is '+' or '-')
            {
                _pos++;
            }

            if (!char.IsAsciiDigit(Peek()))
            {
                throw Error(_pos, $"Expected a digit in the exponent but found {Describe(_pos)}.");
            }

            SkipDigits();
        }

        var text = _text[start.._pos];
        kind = integer ? JsonKind.Integer : JsonKind.NonInteger;
        if (integer && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            return l is >= int.MinValue and <= int.MaxValue ? BsonInt32.Create((int)l) : new BsonInt64(l);
        }

        // Non-integers, and integers beyond Int64, are doubles (rounded to nearest, overflow to infinity).
        return new BsonDouble(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
    }

    private void SkipDigits()
    {
        while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos]))
        {
            _pos++;
        }
    }

    private void ExpectLiteral(string literal)
    {
        for (var i = 0; i < literal.Length; i++)
        {
            if (_pos + i >= _text.Length || _text[_pos + i] != literal[i])
            {
                throw Error(_pos + i, $"Invalid literal: expected '{literal}' but found {Describe(_pos + i)}.");
            }
        }

        _pos += literal.Length;
    }

    private void SkipWhitespace()
    {
        while (_pos < _text.Length && _text[_pos] is ' ' or '\t' or '\n' or '\r')
        {
            _pos++;
        }
    }

    /// <summary>The current character, or NUL at the end (callers compare against specific characters).</summary>
    private readonly char Peek() => _pos < _text.Length ? _text[_pos] : '\0';

    private readonly string Describe(int offset)
    {
        if (offset >= _text.Length)
        {
            return "the end of the input";
        }

        var c = _text[offset];
        return c is < ' ' or >= '\u007F' ? $"U+{(int)c:X4}" : $"'{c}'";
    }

    private static BsonFormatException Error(int offset, string reason) => new(offset, reason);
}
