using System.Text;

namespace DistributedSync.Bson.Json;

/// <summary>JSON string literals: escapes, control characters and surrogate pairs.</summary>
internal ref partial struct ExtendedJsonParser
{
    /// <summary>Parses the string literal at the current position (which holds its opening quote).</summary>
    private string ParseString()
    {
        var open = _pos;
        _pos++;
        var runStart = _pos;
        StringBuilder? builder = null;
        while (true)
        {
            var i = _text[_pos..].IndexOfAny(ExtendedJsonScalars.CharsToEscape);
            if (i < 0)
            {
                throw Error(_text.Length, $"Unterminated string: the string opened at offset {open} has no closing quote.");
            }

            _pos += i;
            var c = _text[_pos];
            if (c == '"')
            {
                var run = _text[runStart.._pos];
                _pos++;
                return builder is null ? new string(run) : builder.Append(run).ToString();
            }

            if (c == '\\')
            {
                builder ??= RentScratch();
                builder.Append(_text[runStart.._pos]);
                AppendEscape(builder);
                runStart = _pos;
                continue;
            }

            if (c < ' ')
            {
                throw Error(_pos, $"Control character U+{(int)c:X4} must be escaped inside a JSON string.");
            }

            if (char.IsHighSurrogate(c) && _pos + 1 < _text.Length && char.IsLowSurrogate(_text[_pos + 1]))
            {
                _pos += 2;
                continue;
            }

            throw Error(_pos, $"Unpaired surrogate U+{(int)c:X4} in the input text.");
        }
    }

    /// <summary>Reads the escape sequence at the current backslash and appends what it stands for.</summary>
    private void AppendEscape(StringBuilder builder)
    {
        var start = _pos;
        if (_pos + 1 >= _text.Length)
        {
            throw Error(_text.Length, "Unterminated string: the input ends inside an escape sequence.");
        }

        var c = _text[_pos + 1];
        _pos += 2;
        switch (c)
        {
            case '"': builder.Append('"'); return;
            case '\\': builder.Append('\\'); return;
            case '/': builder.Append('/'); return;
            case 'b': builder.Append('\b'); return;
            case 'f': builder.Append('\f'); return;
            case 'n': builder.Append('\n'); return;
            case 'r': builder.Append('\r'); return;
            case 't': builder.Append('\t'); return;
            case 'u': break;
            default: throw Error(start, $"Invalid escape sequence '\\{(c < ' ' ? $"U+{(int)c:X4}" : c.ToString())}' in a JSON string.");
        }

        var unit = ReadHex4(start);
        if (char.IsLowSurrogate(unit))
        {
            throw Error(start, $"The escape \\u{(int)unit:X4} is a low surrogate without a preceding high surrogate.");
        }

        if (char.IsHighSurrogate(unit))
        {
            var second = _pos;
            if (_pos + 1 >= _text.Length || _text[_pos] != '\\' || _text[_pos + 1] != 'u')
            {
                throw Error(start, $"The escape \\u{(int)unit:X4} is a high surrogate that is not followed by a \\u escape of a low surrogate.");
            }

            _pos += 2;
            var low = ReadHex4(second);
            if (!char.IsLowSurrogate(low))
            {
                throw Error(second, $"The escape \\u{(int)unit:X4} (a high surrogate) is followed by \\u{(int)low:X4}, which is not a low surrogate.");
            }

            builder.Append(unit).Append(low);
            return;
        }

        builder.Append(unit);
    }

    private char ReadHex4(int escapeStart)
    {
        var value = 0;
        for (var i = 0; i < 4; i++, _pos++)
        {
            var d = _pos < _text.Length ? HexValue(_text[_pos]) : -1;
            if (d < 0)
            {
                throw Error(escapeStart, $"A \\u escape needs four hexadecimal digits; found {Describe(_pos)}.");
            }

            value = (value << 4) | d;
        }

        return (char)value;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    private StringBuilder RentScratch()
    {
        var builder = _scratch ??= new StringBuilder();
        builder.Clear();
        return builder;
    }
}
