using DistributedSync.Bson;
using DistributedSync.Bson.Json;

namespace DistributedSync.Daemon.Http;

/// <summary>
/// How the <c>{id}</c> path segment becomes an <c>_id</c> value, in this order:
/// <list type="number">
/// <item>24 hexadecimal digits: an ObjectId (<c>65f1c0ffee0000000000beef</c>);</item>
/// <item>text that parses as an Extended JSON value: that value (<c>42</c> is an Int32,
/// <c>4.5</c> a Double, <c>"42"</c> the string 42, <c>{"$numberLong":"7"}</c> an Int64,
/// <c>{"$oid":"..."}</c> an ObjectId, <c>true</c> a boolean);</item>
/// <item>anything else: the text itself as a string (<c>alice</c>).</item>
/// </list>
/// Arrays, regular expressions, undefined and documents with <c>$</c>-prefixed fields cannot be
/// an <c>_id</c> (400 <c>invalidId</c>). Reserved characters in the segment must be
/// percent-encoded (<c>%22</c> for a quote, <c>%7B</c>/<c>%7D</c> for braces).
/// </summary>
public static class DocumentIds
{
    /// <summary>Parses a path segment into an <c>_id</c>.</summary>
    /// <exception cref="ApiException">Empty, or a value that cannot be an <c>_id</c>.</exception>
    public static BsonValue Parse(string? segment)
    {
        if (string.IsNullOrEmpty(segment))
        {
            throw ApiException.BadRequest(ApiErrors.InvalidId, "The document id in the path is empty.");
        }

        if (segment.Length == 24 && ObjectId.TryParse(segment, out var objectId))
        {
            return objectId;
        }

        BsonValue value;
        try
        {
            value = ExtendedJson.ParseValue(segment, RequestBody.ReaderOptions);
        }
        catch (BsonFormatException)
        {
            return segment;
        }

        return CheckId(value, "The document id in the path");
    }

    /// <summary>Checks that <paramref name="value"/> may be an <c>_id</c>; returns it.</summary>
    /// <param name="value">The candidate.</param>
    /// <param name="what">How the value is named in the error message.</param>
    /// <exception cref="ApiException">It may not.</exception>
    public static BsonValue CheckId(BsonValue value, string what)
    {
        ArgumentNullException.ThrowIfNull(value);
        var problem = value switch
        {
            BsonArray => "is an array",
            BsonRegularExpression => "is a regular expression",
            BsonUndefined => "is undefined",
            BsonDocument document when document.Names.Any(n => n.StartsWith('$')) => "is a document with a $-prefixed field",
            _ => null,
        };
        return problem is null
            ? value
            : throw ApiException.BadRequest(ApiErrors.InvalidId, $"{what} {problem}, which cannot be an _id.");
    }

    /// <summary>
    /// The path segment that <see cref="Parse"/> reads back as <paramref name="id"/>, unescaped:
    /// ObjectId hex, a plain string when it would not be read as something else, otherwise
    /// relaxed Extended JSON.
    /// </summary>
    public static string ToSegment(BsonValue id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return id switch
        {
            BsonObjectId oid => oid.Value.ToString(),
            BsonString s when s.Value.Length > 0 && Parse(s.Value) is BsonString back && back.Value == s.Value => s.Value,
            _ => ExtendedJson.Write(id, ExtendedJsonMode.Relaxed),
        };
    }
}
