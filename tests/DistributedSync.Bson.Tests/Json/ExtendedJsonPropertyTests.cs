using System.Text;
using DistributedSync.Bson.Json;
using DistributedSync.Bson.Tests.Generators;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace DistributedSync.Bson.Tests.Json;

/// <summary>Round-trip properties of the writer and parser over arbitrary documents of every type.</summary>
public sealed class ExtendedJsonPropertyTests
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(500);

    /// <summary>
    /// Documents Extended JSON can describe: no nested document whose keys would read as a type
    /// wrapper (the specification's own limitation; such keys are vanishingly rare in the generator).
    /// </summary>
    private static Arbitrary<BsonDocument> Describable => BsonGen.Document.Where(d => !HasWrapperLikeKeys(d, topLevel: true)).ToArbitrary();

    [Fact]
    public void Canonical_ParsesBackToAnEqualDocument()
    {
        var prop = Prop.ForAll(Describable, document =>
        {
            var text = ExtendedJson.Write(document, ExtendedJsonMode.Canonical);
            var parsed = ExtendedJson.Parse(text);
            Assert.Equal(WithCanonicalDecimals(document), parsed);

            // Equality ignores the sign of zero; the text does not.
            Assert.Equal(text, ExtendedJson.Write(parsed, ExtendedJsonMode.Canonical));
            return true;
        });
        Check.One(Runs, prop);
    }

    [Fact]
    public void Relaxed_IsAFixpointOfParseThenWrite()
    {
        var prop = Prop.ForAll(Describable, document =>
        {
            var text = ExtendedJson.Write(document, ExtendedJsonMode.Relaxed);
            Assert.Equal(text, ExtendedJson.Write(ExtendedJson.Parse(text), ExtendedJsonMode.Relaxed));
            return true;
        });
        Check.One(Runs, prop);
    }

    [Fact]
    public void Utf8AndIndentedInput_ParseToTheSameDocumentAsCompactText()
    {
        var prop = Prop.ForAll(Describable, document =>
        {
            var compact = ExtendedJson.Parse(ExtendedJson.Write(document, ExtendedJsonMode.Canonical));
            var indented = ExtendedJson.Write(document, ExtendedJsonWriterOptions.Canonical with { Indented = true });
            Assert.Equal(compact, ExtendedJson.Parse(indented));
            Assert.Equal(compact, ExtendedJson.Parse(Encoding.UTF8.GetBytes(indented)));
            return true;
        });
        Check.One(Runs, prop);
    }

    /// <summary>The expected result of a round trip: decimals come back in their canonical encoding.</summary>
    private static BsonValue WithCanonicalDecimals(BsonValue value) => value switch
    {
        BsonDocument d => new BsonDocument(d.Select(e => new BsonElement(e.Name, WithCanonicalDecimals(e.Value)))),
        BsonArray a => new BsonArray(a.Select(WithCanonicalDecimals)),
        BsonJavaScriptWithScope j => new BsonJavaScriptWithScope(j.Code, (BsonDocument)WithCanonicalDecimals(j.Scope)),
        BsonDecimal128 m => new BsonDecimal128(Decimal128.Parse(m.Value.ToString())),
        _ => value,
    };

    private static bool HasWrapperLikeKeys(BsonValue value, bool topLevel) => value switch
    {
        BsonDocument d => (!topLevel && d.Names.Any(IsSpecialKey)) || d.Values.Any(v => HasWrapperLikeKeys(v, topLevel: false)),
        BsonArray a => a.Any(v => HasWrapperLikeKeys(v, topLevel: false)),
        BsonJavaScriptWithScope j => HasWrapperLikeKeys(j.Scope, topLevel: false),
        _ => false,
    };

    private static bool IsSpecialKey(string name) => name is "$oid" or "$symbol" or "$numberInt" or "$numberLong" or "$numberDouble"
        or "$numberDecimal" or "$binary" or "$uuid" or "$code" or "$scope" or "$timestamp" or "$regularExpression" or "$dbPointer"
        or "$date" or "$minKey" or "$maxKey" or "$undefined" or "$regex";
}
