using System.Runtime.CompilerServices;

namespace DistributedSync.Bson.Json;

/// <summary>
/// Writes one <see cref="BsonValue"/> tree as Extended JSON v2 text into a <see cref="JsonTextBuffer"/>,
/// following the conversion table of the specification for the chosen mode.
/// </summary>
internal sealed class ExtendedJsonWriter(JsonTextBuffer output, ExtendedJsonWriterOptions options)
{
    private readonly bool _canonical = options.Mode == ExtendedJsonMode.Canonical;
    private readonly bool _indented = options.Indented;
    private readonly int _indentSize = options.IndentSize;
    private int _depth;

    public void WriteValue(BsonValue value)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        switch (value)
        {
            case BsonDocument d: WriteDocument(d); break;
            case BsonArray a: WriteArray(a); break;
            case BsonString s: output.AppendQuoted(s.Value); break;
            case BsonInt32 i: WriteInt32(i.Value); break;
            case BsonInt64 l: WriteInt64(l.Value); break;
            case BsonDouble d: WriteDouble(d.Value); break;
            case BsonBoolean b: output.Append(b.Value ? "true" : "false"); break;
            case BsonNull: output.Append("null"); break;
            case BsonObjectId o: WriteWrapper("$oid", o.Value.ToString()); break;
            case BsonDateTime t: WriteDateTime(t.MillisecondsSinceEpoch); break;
            case BsonDecimal128 m: WriteWrapper("$numberDecimal", m.Value.ToString()); break;
            case BsonBinaryData b: WriteBinary(b); break;
            case BsonRegularExpression r: WriteRegularExpression(r); break;
            case BsonTimestamp ts: WriteTimestamp(ts); break;
            case BsonJavaScript j: WriteWrapper("$code", j.Code); break;
            case BsonJavaScriptWithScope js: WriteCodeWithScope(js); break;
            case BsonSymbol sym: WriteWrapper("$symbol", sym.Name); break;
            case BsonDbPointer p: WriteDbPointer(p); break;
            case BsonMinKey: WriteLiteralWrapper("$minKey", "1"); break;
            case BsonMaxKey: WriteLiteralWrapper("$maxKey", "1"); break;
            case BsonUndefined: WriteLiteralWrapper("$undefined", "true"); break;
            default: throw new ArgumentException($"Cannot write a {value.GetType().Name} as Extended JSON.", nameof(value));
        }
    }

    private void WriteDocument(BsonDocument document)
    {
        var first = BeginObject();
        foreach (var element in document)
        {
            Name(ref first, element.Name);
            WriteValue(element.Value);
        }

        EndObject(first);
    }

    private void WriteArray(BsonArray array)
    {
        output.Append('[');
        _depth++;
        var first = true;
        foreach (var item in array)
        {
            if (!first)
            {
                output.Append(',');
            }

            first = false;
            NewLine();
            WriteValue(item);
        }

        _depth--;
        if (!first)
        {
            NewLine();
        }

        output.Append(']');
    }

    private void WriteInt32(int value)
    {
        if (_canonical)
        {
            WriteWrapper("$numberInt", value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        else
        {
            output.AppendInt64(value);
        }
    }

    private void WriteInt64(long value)
    {
        if (_canonical)
        {
            WriteWrapper("$numberLong", value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        else
        {
            output.AppendInt64(value);
        }
    }

    private void WriteDouble(double value)
    {
        if (_canonical || !double.IsFinite(value))
        {
            WriteWrapper("$numberDouble", ExtendedJsonScalars.FormatDoubleWrapper(value));
        }
        else
        {
            output.AppendFiniteDouble(value);
        }
    }

    private void WriteDateTime(long milliseconds)
    {
        var first = BeginObject();
        Name(ref first, "$date");
        if (!_canonical && milliseconds is >= 0 and <= ExtendedJsonScalars.MaxIsoMilliseconds)
        {
            output.AppendQuoted(ExtendedJsonScalars.FormatIsoDate(milliseconds));
        }
        else
        {
            WriteInt64Wrapper(milliseconds);
        }

        EndObject(first);
    }

    private void WriteInt64Wrapper(long value)
        => WriteWrapper("$numberLong", value.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private void WriteBinary(BsonBinaryData binary)
    {
        var outer = BeginObject();
        Name(ref outer, "$binary");
        var inner = BeginObject();
        Name(ref inner, "base64");
        output.AppendQuoted(Convert.ToBase64String(binary.Bytes.Span));
        Name(ref inner, "subType");
        output.AppendQuoted(((byte)binary.Subtype).ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        EndObject(inner);
        EndObject(outer);
    }

    private void WriteRegularExpression(BsonRegularExpression regex)
    {
        var outer = BeginObject();
        Name(ref outer, "$regularExpression");
        var inner = BeginObject();
        Name(ref inner, "pattern");
        output.AppendQuoted(regex.Pattern);
        Name(ref inner, "options");
        output.AppendQuoted(regex.Options);
        EndObject(inner);
        EndObject(outer);
    }

    private void WriteTimestamp(BsonTimestamp timestamp)
    {
        var outer = BeginObject();
        Name(ref outer, "$timestamp");
        var inner = BeginObject();
        Name(ref inner, "t");
        output.AppendInt64(timestamp.Seconds);
        Name(ref inner, "i");
        output.AppendInt64(timestamp.Increment);
        EndObject(inner);
        EndObject(outer);
    }

    private void WriteCodeWithScope(BsonJavaScriptWithScope code)
    {
        var first = BeginObject();
        Name(ref first, "$code");
        output.AppendQuoted(code.Code);
        Name(ref first, "$scope");
        WriteDocument(code.Scope);
        EndObject(first);
    }

    private void WriteDbPointer(BsonDbPointer pointer)
    {
        var outer = BeginObject();
        Name(ref outer, "$dbPointer");
        var inner = BeginObject();
        Name(ref inner, "$ref");
        output.AppendQuoted(pointer.Namespace);
        Name(ref inner, "$id");
        WriteWrapper("$oid", pointer.Id.ToString());
        EndObject(inner);
        EndObject(outer);
    }

    private void WriteWrapper(string key, string text)
    {
        var first = BeginObject();
        Name(ref first, key);
        output.AppendQuoted(text);
        EndObject(first);
    }

    private void WriteLiteralWrapper(string key, string literal)
    {
        var first = BeginObject();
        Name(ref first, key);
        output.Append(literal);
        EndObject(first);
    }

    private bool BeginObject()
    {
        output.Append('{');
        _depth++;
        return true;
    }

    private void Name(ref bool first, string name)
    {
        if (!first)
        {
            output.Append(',');
        }

        first = false;
        NewLine();
        output.AppendQuoted(name);
        output.Append(':');
        if (_indented)
        {
            output.Append(' ');
        }
    }

    private void EndObject(bool empty)
    {
        _depth--;
        if (!empty)
        {
            NewLine();
        }

        output.Append('}');
    }

    private void NewLine()
    {
        if (_indented)
        {
            output.Append('\n');
            output.Append(' ', _depth * _indentSize);
        }
    }
}
