namespace DistributedSync.Bson.Json;

/// <summary>
/// Interpretation of type wrapper objects. An object (other than a document's top level) that
/// holds any key of the conversion table must consist of exactly that wrapper's keys with values
/// of the right JSON types, or it is an error; objects with other <c>$</c>-keys (DBRefs, query
/// operators) stay documents.
/// </summary>
internal ref partial struct ExtendedJsonParser
{
    /// <summary>Wrapper keys whose object value is kept as raw members so its JSON types can be checked.</summary>
    private static bool TakesRawObject(string name) => name is "$binary" or "$timestamp" or "$regularExpression" or "$dbPointer";

    private static bool IsWrapperKey(string name) => name is "$oid" or "$symbol" or "$numberInt" or "$numberLong"
        or "$numberDouble" or "$numberDecimal" or "$binary" or "$uuid" or "$code" or "$scope" or "$timestamp"
        or "$regularExpression" or "$dbPointer" or "$date" or "$minKey" or "$maxKey" or "$undefined";

    /// <summary>The value the object stands for, or null when it is an ordinary document.</summary>
    private readonly BsonValue? TryConvertWrapper(ReadOnlySpan<Member> members, int objectOffset)
    {
        var anchor = -1;
        for (var i = 0; i < members.Length; i++)
        {
            if (members[i].Name.StartsWith('$') && IsWrapperKey(members[i].Name))
            {
                anchor = i;
                break;
            }
        }

        if (anchor < 0)
        {
            return _options.AllowLegacyWrappers ? TryLegacyRegex(members) : null;
        }

        var key = members[anchor].Name == "$scope" ? "$code" : members[anchor].Name;
        var legacyBinary = key == "$binary" && members[anchor].Kind == JsonKind.String;
        if (legacyBinary && !_options.AllowLegacyWrappers)
        {
            throw Error(members[anchor].ValueOffset, "'$binary' must be an object {\"base64\": ..., \"subType\": ...} (the legacy string form is disabled).");
        }

        var other = key == "$code" ? "$scope" : legacyBinary ? "$type" : null;
        CheckKeys(members, key, other, otherRequired: legacyBinary);

        var value = Find(members, key);
        if (value is not { } m)
        {
            throw Error(objectOffset, "A '$scope' key needs a '$code' key beside it.");
        }

        return key switch
        {
            "$oid" => ObjectIdOf(m, "$oid"),
            "$symbol" => new BsonSymbol(StringOf(m, "$symbol")),
            "$numberInt" => Int32Of(m),
            "$numberLong" => new BsonInt64(Int64Of(m)),
            "$numberDouble" => DoubleOf(m),
            "$numberDecimal" => DecimalOf(m),
            "$binary" when legacyBinary => LegacyBinaryOf(m, Find(members, "$type"), objectOffset),
            "$binary" => BinaryOf(m),
            "$uuid" => UuidOf(m),
            "$code" => CodeOf(m, Find(members, "$scope")),
            "$timestamp" => TimestampOf(m),
            "$regularExpression" => RegularExpressionOf(m),
            "$dbPointer" => DbPointerOf(m),
            "$date" => DateOf(m),
            "$minKey" => KeyOf(m, "$minKey", BsonMinKey.Value),
            "$maxKey" => KeyOf(m, "$maxKey", BsonMaxKey.Value),
            _ => UndefinedOf(m),
        };
    }

    /// <summary>Checks that the members are exactly <paramref name="key"/> plus optionally <paramref name="other"/> (required when <paramref name="otherRequired"/>), each once.</summary>
    private static void CheckKeys(ReadOnlySpan<Member> members, string key, string? other, bool otherRequired)
    {
        for (var i = 0; i < members.Length; i++)
        {
            var name = members[i].Name;
            if (name != key && name != other)
            {
                throw Error(members[i].NameOffset, $"Unexpected key '{name}' in a '{key}' wrapper: a type wrapper object holds only its own keys.");
            }

            for (var j = 0; j < i; j++)
            {
                if (members[j].Name == name)
                {
                    throw Error(members[i].NameOffset, $"Duplicate key '{name}' in a '{key}' wrapper.");
                }
            }
        }

        if (otherRequired && Find(members, other!) is null)
        {
            throw Error(members[0].NameOffset, $"A legacy '{key}' wrapper needs a '{other}' key beside it.");
        }
    }

    private static Member? Find(ReadOnlySpan<Member> members, string name)
    {
        foreach (ref readonly var m in members)
        {
            if (m.Name == name)
            {
                return m;
            }
        }

        return null;
    }

    /// <summary>The legacy <c>{"$regex": string, "$options": string}</c> form, or null when the object is a query operator.</summary>
    private static BsonRegularExpression? TryLegacyRegex(ReadOnlySpan<Member> members)
    {
        if (Find(members, "$regex") is not { Kind: JsonKind.String } pattern)
        {
            return null;
        }

        var options = Find(members, "$options");
        if (members.Length != (options is null ? 1 : 2) || options is { Kind: not JsonKind.String })
        {
            return null;
        }

        var patternText = ((BsonString)pattern.Value).Value;
        var optionsText = options is { } o ? ((BsonString)o.Value).Value : string.Empty;
        RejectNul(pattern.ValueOffset, patternText, "$regex");
        RejectNul(options?.ValueOffset ?? 0, optionsText, "$options");
        return new BsonRegularExpression(patternText, optionsText);
    }

    private static string StringOf(in Member m, string what)
        => m.Kind == JsonKind.String ? ((BsonString)m.Value).Value : throw Error(m.ValueOffset, $"'{what}' must be a JSON string, not {KindName(m.Kind)}.");

    private static BsonObjectId ObjectIdOf(in Member m, string what)
        => ObjectId.TryParse(StringOf(m, what), out var id)
            ? new BsonObjectId(id)
            : throw Error(m.ValueOffset, $"'{what}' must be 24 hexadecimal digits.");

    private static BsonInt32 Int32Of(in Member m)
    {
        var text = StringOf(m, "$numberInt");
        return ExtendedJsonScalars.TryParseIntegerText(text, out var v) && v is >= int.MinValue and <= int.MaxValue
            ? BsonInt32.Create((int)v)
            : throw Error(m.ValueOffset, $"'$numberInt' must be a decimal integer from -2147483648 to 2147483647, not \"{text}\".");
    }

    private static long Int64Of(in Member m)
    {
        var text = StringOf(m, "$numberLong");
        return ExtendedJsonScalars.TryParseIntegerText(text, out var v)
            ? v
            : throw Error(m.ValueOffset, $"'$numberLong' must be a decimal integer from -9223372036854775808 to 9223372036854775807, not \"{text}\".");
    }

    private static BsonDouble DoubleOf(in Member m)
    {
        var text = StringOf(m, "$numberDouble");
        return ExtendedJsonScalars.TryParseDoubleText(text, out var v)
            ? new BsonDouble(v)
            : throw Error(m.ValueOffset, $"'$numberDouble' must be a decimal number, \"Infinity\", \"-Infinity\" or \"NaN\", not \"{text}\".");
    }

    private static BsonDecimal128 DecimalOf(in Member m)
    {
        var text = StringOf(m, "$numberDecimal");
        try
        {
            return new BsonDecimal128(Decimal128.Parse(text));
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            throw new BsonFormatException(m.ValueOffset, $"'$numberDecimal' is not a valid Decimal128 string: \"{text}\".", e);
        }
    }

    private static BsonBinaryData UuidOf(in Member m)
    {
        Span<byte> bytes = stackalloc byte[16];
        return ExtendedJsonScalars.TryParseUuid(StringOf(m, "$uuid"), bytes)
            ? new BsonBinaryData(bytes, BsonBinarySubtype.Uuid)
            : throw Error(m.ValueOffset, "'$uuid' must be a UUID of 32 hexadecimal digits, grouped 8-4-4-4-12 by hyphens or not at all.");
    }

    private static BsonValue CodeOf(in Member code, Member? scope)
    {
        var text = StringOf(code, "$code");
        if (scope is not { } s)
        {
            return new BsonJavaScript(text);
        }

        return s.Kind == JsonKind.Object && s.Value is BsonDocument d
            ? new BsonJavaScriptWithScope(text, d)
            : throw Error(s.ValueOffset, $"'$scope' must be a JSON object (a document), not {KindName(s.Kind)}.");
    }

    private static BsonValue KeyOf(in Member m, string what, BsonValue value)
        => m.Kind == JsonKind.Integer && m.Value is BsonInt32 { Value: 1 }
            ? value
            : throw Error(m.ValueOffset, $"'{what}' must be the JSON number 1.");

    private static BsonUndefined UndefinedOf(in Member m)
        => m.Kind == JsonKind.True ? BsonUndefined.Value : throw Error(m.ValueOffset, "'$undefined' must be the JSON literal true.");

    private static void RejectNul(int offset, string text, string what)
    {
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw Error(offset, $"'{what}' may not contain a NUL character (U+0000): BSON stores it as a C string.");
        }
    }

    private static string KindName(JsonKind kind) => kind switch
    {
        JsonKind.String => "a string",
        JsonKind.Integer or JsonKind.NonInteger => "a number",
        JsonKind.True or JsonKind.False => "a boolean",
        JsonKind.Null => "null",
        JsonKind.Array => "an array",
        JsonKind.Object => "an object",
        _ => "a type wrapper",
    };
}
