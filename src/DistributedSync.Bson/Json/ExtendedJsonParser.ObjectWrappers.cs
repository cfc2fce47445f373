namespace DistributedSync.Bson.Json;

/// <summary>Wrappers whose value is itself an object or a choice of forms: binary, timestamp, regex, DBPointer, date.</summary>
internal ref partial struct ExtendedJsonParser
{
    private static BsonBinaryData BinaryOf(in Member outer)
    {
        var (base64, subType) = RawPair(outer, "$binary", "base64", "subType");
        return MakeBinary(base64, subType, "base64", "subType");
    }

    private static BsonBinaryData LegacyBinaryOf(in Member binary, Member? type, int objectOffset)
        => type is { } t ? MakeBinary(binary, t, "$binary", "$type") : throw Error(objectOffset, "A legacy '$binary' wrapper needs '$type'.");

    private static BsonBinaryData MakeBinary(in Member payload, in Member subType, string payloadName, string subTypeName)
    {
        var text = StringOf(payload, payloadName);
        var bytes = ExtendedJsonScalars.DecodeStrictBase64(text)
            ?? throw Error(payload.ValueOffset, $"'{payloadName}' must be standard base64 with '=' padding.");
        var subtypeText = StringOf(subType, subTypeName);
        return ExtendedJsonScalars.TryParseSubtype(subtypeText, out var subtype)
            ? BsonBinaryData.TakeOwnership(bytes, (BsonBinarySubtype)subtype)
            : throw Error(subType.ValueOffset, $"'{subTypeName}' must be one or two hexadecimal digits (a subtype from 00 to ff), not \"{subtypeText}\".");
    }

    private static BsonTimestamp TimestampOf(in Member outer)
    {
        var (t, i) = RawPair(outer, "$timestamp", "t", "i");
        return new BsonTimestamp(UInt32Of(t, "t"), UInt32Of(i, "i"));
    }

    private static uint UInt32Of(in Member m, string what)
    {
        if (m.Kind == JsonKind.Integer)
        {
            switch (m.Value)
            {
                case BsonInt32 { Value: >= 0 } i: return (uint)i.Value;
                case BsonInt64 { Value: >= 0 and <= uint.MaxValue } l: return (uint)l.Value;
            }
        }

        throw Error(m.ValueOffset, $"'{what}' of a '$timestamp' must be a JSON integer from 0 to 4294967295.");
    }

    private static BsonRegularExpression RegularExpressionOf(in Member outer)
    {
        var (pattern, options) = RawPair(outer, "$regularExpression", "pattern", "options");
        var patternText = StringOf(pattern, "pattern");
        var optionsText = StringOf(options, "options");
        RejectNul(pattern.ValueOffset, patternText, "pattern");
        RejectNul(options.ValueOffset, optionsText, "options");
        return new BsonRegularExpression(patternText, optionsText);
    }

    private static BsonDbPointer DbPointerOf(in Member outer)
    {
        var (reference, id) = RawPair(outer, "$dbPointer", "$ref", "$id");
        var ns = StringOf(reference, "$ref");
        return id is { Kind: JsonKind.Wrapper, Value: BsonObjectId oid }
            ? new BsonDbPointer(ns, oid.Value)
            : throw Error(id.ValueOffset, "'$id' of a '$dbPointer' must be an ObjectId wrapper {\"$oid\": ...}.");
    }

    private readonly BsonDateTime DateOf(in Member m)
    {
        switch (m.Kind)
        {
            case JsonKind.String:
                var text = ((BsonString)m.Value).Value;
                return ExtendedJsonScalars.TryParseIsoDate(text, out var ms, out var problem)
                    ? new BsonDateTime(ms)
                    : throw Error(m.ValueOffset, $"'$date' \"{text}\" is not an RFC 3339 date-time: {problem}.");
            case JsonKind.Wrapper when m.Value is BsonInt64 l:
                return new BsonDateTime(l.Value);
            case JsonKind.Integer when _options.AllowNumericDates && m.Value is BsonInt32 or BsonInt64:
                return new BsonDateTime(m.Value is BsonInt32 i ? i.Value : ((BsonInt64)m.Value).Value);
            default:
                throw Error(m.ValueOffset, "'$date' must be an ISO-8601 string or {\"$numberLong\": \"<milliseconds>\"}"
                    + (m.Kind == JsonKind.Integer ? " (a bare number is legacy syntax, accepted only with AllowNumericDates)." : $", not {KindName(m.Kind)}."));
        }
    }

    /// <summary>The two members of a raw wrapper object, which must have exactly these keys (any order).</summary>
    private static (Member First, Member Second) RawPair(in Member outer, string what, string first, string second)
    {
        if (outer.Raw is not { } raw)
        {
            throw Error(outer.ValueOffset, $"'{what}' must be an object {{\"{first}\": ..., \"{second}\": ...}}, not {KindName(outer.Kind)}.");
        }

        Member? a = null;
        Member? b = null;
        foreach (var m in raw)
        {
            ref var slot = ref m.Name == first ? ref a : ref b;
            if (m.Name != first && m.Name != second)
            {
                throw Error(m.NameOffset, $"Unexpected key '{m.Name}' in the '{what}' object: only \"{first}\" and \"{second}\" are allowed.");
            }

            if (slot is not null)
            {
                throw Error(m.NameOffset, $"Duplicate key '{m.Name}' in the '{what}' object.");
            }

            slot = m;
        }

        return a is { } x
            ? b is { } y ? (x, y) : throw Error(outer.ValueOffset, $"The '{what}' object is missing \"{second}\".")
            : throw Error(outer.ValueOffset, $"The '{what}' object is missing \"{first}\".");
    }
}
