using System.Buffers;
using System.Globalization;
using System.Text;

namespace DistributedSync.Bson.Json;

/// <summary>
/// A growable UTF-16 buffer rented from the shared pool, with the JSON string escaping and number
/// formatting the writer needs. Dispose returns the buffer.
/// </summary>
internal sealed class JsonTextBuffer : IDisposable
{
    private char[] _chars;
    private int _length;

    public JsonTextBuffer(int initialCapacity = 256) => _chars = ArrayPool<char>.Shared.Rent(initialCapacity);

    /// <summary>The text written so far.</summary>
    public ReadOnlySpan<char> Written => _chars.AsSpan(0, _length);

    public void Append(char c)
    {
        if (_length == _chars.Length)
        {
            Grow(1);
        }

        _chars[_length++] = c;
    }

    public void Append(ReadOnlySpan<char> text)
    {
        if (_length + text.Length > _chars.Length)
        {
            Grow(text.Length);
        }

        text.CopyTo(_chars.AsSpan(_length));
        _length += text.Length;
    }

    /// <summary>Appends <paramref name="count"/> copies of <paramref name="c"/>.</summary>
    public void Append(char c, int count)
    {
        if (_length + count > _chars.Length)
        {
            Grow(count);
        }

        _chars.AsSpan(_length, count).Fill(c);
        _length += count;
    }

    public void AppendInt64(long value)
    {
        Span<char> digits = stackalloc char[20];
        value.TryFormat(digits, out var n, default, CultureInfo.InvariantCulture);
        Append(digits[..n]);
    }

    /// <summary>Appends a finite double in its shortest round-trip form, always with a fraction or exponent.</summary>
    public void AppendFiniteDouble(double value)
    {
        Span<char> text = stackalloc char[32];
        var n = ExtendedJsonScalars.FormatFiniteDouble(value, text);
        Append(text[..n]);
    }

    /// <summary>
    /// Appends <paramref name="value"/> as a quoted JSON string. Quote, backslash and control
    /// characters are escaped (short forms where JSON has them); everything else is written as is,
    /// except an unpaired surrogate, which is written as a <c>\uXXXX</c> escape so the output is
    /// always well-formed UTF-16 (such text came from a string BSON could never have held).
    /// </summary>
    public void AppendQuoted(string value)
    {
        Append('"');
        var span = value.AsSpan();
        while (!span.IsEmpty)
        {
            var i = span.IndexOfAny(ExtendedJsonScalars.CharsToEscape);
            if (i < 0)
            {
                Append(span);
                break;
            }

            Append(span[..i]);
            var c = span[i];
            if (char.IsHighSurrogate(c) && i + 1 < span.Length && char.IsLowSurrogate(span[i + 1]))
            {
                Append(span.Slice(i, 2));
                span = span[(i + 2)..];
                continue;
            }

            AppendEscape(c);
            span = span[(i + 1)..];
        }

        Append('"');
    }

    /// <summary>Writes the text as UTF-8 to <paramref name="output"/>.</summary>
    public void CopyUtf8To(IBufferWriter<byte> output)
    {
        var chars = Written;
        while (!chars.IsEmpty)
        {
            // Encode in slices so a huge document does not need one huge span; never split a pair.
            var take = Math.Min(chars.Length, 4096);
            if (take < chars.Length && char.IsHighSurrogate(chars[take - 1]))
            {
                take--;
            }

            var destination = output.GetSpan(Encoding.UTF8.GetMaxByteCount(take));
            var written = Encoding.UTF8.GetBytes(chars[..take], destination);
            output.Advance(written);
            chars = chars[take..];
        }
    }

    public override string ToString() => new(Written);

    public void Dispose()
    {
        var chars = _chars;
        _chars = [];
        _length = 0;
        if (chars.Length > 0)
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    private void AppendEscape(char c)
    {
        switch (c)
        {
            case '"': Append("\\\""); break;
            case '\\': Append("\\\\"); break;
            case '\b': Append("\\b"); break;
            case '\f': Append("\\f"); break;
            case '\n': Append("\\n"); break;
            case '\r': Append("\\r"); break;
            case '\t': Append("\\t"); break;
            default:
                Span<char> escape = stackalloc char[6];
                escape[0] = '\\';
                escape[1] = 'u';
                ((int)c).TryFormat(escape[2..], out _, "x4", CultureInfo.InvariantCulture);
                Append(escape);
                break;
        }
    }

    private void Grow(int needed)
    {
        var size = Math.Max(_chars.Length * 2, _length + needed);
        var bigger = ArrayPool<char>.Shared.Rent(size);
        _chars.AsSpan(0, _length).CopyTo(bigger);
        if (_chars.Length > 0)
        {
            ArrayPool<char>.Shared.Return(_chars);
        }

        _chars = bigger;
    }
}
