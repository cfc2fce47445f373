using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace DistributedSync.Bson.Json;

/// <summary>
/// A strict RFC 8259 JSON parser that builds BSON values directly and interprets Extended JSON
/// type wrappers (see the <c>Wrappers</c> part). Offsets in errors are UTF-16 character offsets
/// into the text.
/// </summary>
internal ref partial struct ExtendedJsonParser
{
    private readonly ReadOnlySpan<char> _text;
    private readonly ExtendedJsonReaderOptions _options;

    // Members of every object being parsed, innermost last; each object truncates back to where it started.
    private readonly List<Member> _members;
    private StringBuilder? _scratch;
    private int _pos;
    private int _depth;

    public ExtendedJsonParser(ReadOnlySpan<char> text, ExtendedJsonReaderOptions options)
    {
        _text = text;
        _options = options;
        _members = [];
    }

    /// <summary>The JSON syntax a value was written with (wrappers need to know it, not just the result).</summary>
    private enum JsonKind : byte
    {
        String,
        Integer,
        NonInteger,
        True,
        False,
        Null,
        Array,
        Object,
        Wrapper,
    }

    /// <summary>Parses text holding exactly one JSON object; that top-level object is never a type wrapper.</summary>
    public BsonDocument ParseDocument()
    {
        SkipWhitespace();
        if (Peek() != '{')
        {
            throw Error(_pos, $"Expected a JSON object ('{{') but found {Describe(_pos)}.");
        }

        var document = (BsonDocument)ParseObject(ObjectMode.TopLevelDocument, out _, out _);
        ExpectEnd();
        return document;
    }

    /// <summary>Parses text holding exactly one JSON value (an object may be a type wrapper).</summary>
    public BsonValue ParseSingleValue()
    {
        SkipWhitespace();
        var value = ParseValue(out _);
        ExpectEnd();
        return value;
    }

    private BsonValue ParseValue(out JsonKind kind)
    {
        switch (Peek())
        {
            case '{':
                return ParseObject(ObjectMode.Value, out kind, out _);
            case '[':
                kind = JsonKind.Array;
                return ParseArray();
            case '"':
                kind = JsonKind.String;
                return new BsonString(ParseString());
            case 't':
                ExpectLiteral("true");
                kind = JsonKind.True;
                return BsonBoolean.True;
            case 'f':
                ExpectLiteral("false");
                kind = JsonKind.False;
                return BsonBoolean.False;
            case 'n':
                ExpectLiteral("null");
                kind = JsonKind.Null;
                return BsonNull.Value;
            case '-' or (>= '0' and <= '9'):
                return ParseNumber(out kind);
            case 'N' or 'I' when _text[_pos..].StartsWith("NaN") || _text[_pos..].StartsWith("Infinity"):
                throw Error(_pos, "JSON has no NaN or Infinity literals; write {\"$numberDouble\": \"NaN\"} or {\"$numberDouble\": \"Infinity\"}.");
            default:
                throw Error(_pos, $"Expected a JSON value but found {Describe(_pos)}.");
        }
    }

    private BsonValue ParseObject(ObjectMode mode, out JsonKind kind, out Member[]? raw)
    {
        var start = _pos;
        Enter(start);
        _pos++;
        var baseIndex = _members.Count;
        SkipWhitespace();
        if (Peek() == '}')
        {
            _pos++;
        }
        else
        {
            while (true)
            {
                ParseMember(mode == ObjectMode.Value);
                SkipWhitespace();
                var c = Peek();
                if (c == ',')
                {
                    _pos++;
                    SkipWhitespace();
                    if (Peek() == '}')
                    {
                        throw Error(_pos, "A trailing comma is not allowed before '}'.");
                    }

                    continue;
                }

                if (c == '}')
                {
                    _pos++;
                    break;
                }

                throw Error(_pos, $"Expected ',' or '}}' after an object member but found {Describe(_pos)}.");
            }
        }

        _depth--;
        var members = CollectionsMarshal.AsSpan(_members)[baseIndex..];
        try
        {
            if (mode == ObjectMode.Raw)
            {
                kind = JsonKind.Object;
                raw = members.ToArray();
                return BsonNull.Value;
            }

            raw = null;
            if (mode == ObjectMode.Value && TryConvertWrapper(members, start) is { } wrapped)
            {
                kind = JsonKind.Wrapper;
                return wrapped;
            }

            kind = JsonKind.Object;
            var document = new BsonDocument(members.Length);
            foreach (ref readonly var m in members)
            {
                document.AppendUnchecked(m.Name, m.Value!);
            }

            return document;
        }
        finally
        {
            _members.RemoveRange(baseIndex, _members.Count - baseIndex);
        }
    }

    private void ParseMember(bool wrapperCapable)
    {
        if (Peek() != '"')
        {
            throw Error(_pos, $"Expected a string key in double quotes but found {Describe(_pos)}.");
        }

        var nameOffset = _pos;
        var name = ParseString();
        if (name.Contains('\0', StringComparison.Ordinal))
        {
            throw Error(nameOffset, "A key may not contain a NUL character (U+0000): BSON keys are C strings.");
        }

        SkipWhitespace();
        if (Peek() != ':')
        {
            throw Error(_pos, $"Expected ':' after the key but found {Describe(_pos)}.");
        }

        _pos++;
        SkipWhitespace();
        var valueOffset = _pos;
        BsonValue value;
        JsonKind kind;
        Member[]? raw = null;
        if (wrapperCapable && Peek() == '{' && TakesRawObject(name))
        {
            value = ParseObject(ObjectMode.Raw, out kind, out raw);
        }
        else
        {
            value = ParseValue(out kind);
        }

        _members.Add(new Member(name, nameOffset, valueOffset, value, kind, raw));
    }

    private BsonArray ParseArray()
    {
        Enter(_pos);
        _pos++;
        var array = new BsonArray();
        SkipWhitespace();
        if (Peek() == ']')
        {
            _pos++;
            _depth--;
            return array;
        }

        while (true)
        {
            array.Add(ParseValue(out _));
            SkipWhitespace();
            var c = Peek();
            if (c == ',')
            {
                _pos++;
                SkipWhitespace();
                if (Peek() == ']')
                {
                    throw Error(_pos, "A trailing comma is not allowed before ']'.");
                }

                continue;
            }

            if (c == ']')
            {
                _pos++;
                _depth--;
                return array;
            }

            throw Error(_pos, $"Expected ',' or ']' after an array element but found {Describe(_pos)}.");
        }
    }

    private void ExpectEnd()
    {
        SkipWhitespace();
        if (_pos < _text.Length)
        {
            throw Error(_pos, $"Unexpected {Describe(_pos)} after the end of the JSON value.");
        }
    }

    private void Enter(int offset)
    {
        if (++_depth > _options.MaxDepth)
        {
            throw Error(offset, $"The JSON nests objects and arrays deeper than the limit of {_options.MaxDepth} levels.");
        }

        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw Error(offset, "The JSON nests objects and arrays too deeply for the available stack.");
        }
    }

    private enum ObjectMode : byte
    {
        /// <summary>The outermost object of a document: never a wrapper.</summary>
        TopLevelDocument,

        /// <summary>Any other object: a wrapper when its keys say so.</summary>
        Value,

        /// <summary>The object value of <c>$binary</c>, <c>$timestamp</c> etc.: kept as raw members.</summary>
        Raw,
    }

    private readonly record struct Member(string Name, int NameOffset, int ValueOffset, BsonValue Value, JsonKind Kind, Member[]? Raw);
}
