using DistributedSync.Bson;
using DistributedSync.Daemon.Engine;
using DistributedSync.Daemon.Tests.Support;
using DistributedSync.Mongo.Configuration;

namespace DistributedSync.Daemon.Tests.Http;

public sealed class KeyValueApiTests : IClassFixture<ApiHost>
{
    private readonly ApiHost _host;

    public KeyValueApiTests(ApiHost host)
    {
        _host = host;
        _host.Engine.Reset();
    }

    [Fact]
    public async Task SetThenGet_RoundTripsAnyJsonValue()
    {
        var (status, body, _) = await _host.PostAsync("/set?w=majority", """{"key": "color", "value": {"r": 255, "tags": ["warm"]}}""");

        Assert.Equal(200, status);
        Assert.Equal("color", body!.AsDocument["key"].AsString);
        Assert.Equal(new BsonDocument { { "r", 255 }, { "tags", new BsonArray { "warm" } } }, body.AsDocument["value"]);
        Assert.True(body.AsDocument.Contains("position"));
        var (operations, concern) = _host.Engine.Writes.Single();
        var replace = Assert.IsType<ReplaceOperation>(Assert.Single(operations));
        Assert.Equal("kv", replace.Collection);
        Assert.Equal("color", replace.Id.AsString);
        Assert.True(replace.Upsert);
        Assert.Equal("majority", concern.WMode);

        var (got, gotBody, response) = await _host.GetAsync("/get/color?readPreference=nearest");
        Assert.Equal(200, got);
        Assert.Equal(new BsonDocument { { "key", "color" }, { "value", new BsonDocument { { "r", 255 }, { "tags", new BsonArray { "warm" } } } } }, gotBody);
        Assert.Equal(ReadPreferenceMode.Nearest, _host.Engine.Reads.Single().Mode);
        Assert.Equal("2", response.Headers.GetValues("X-Served-By").Single());
    }

    [Fact]
    public async Task Set_OverwritesTheValue()
    {
        await _host.PostAsync("/set", """{"key": "n", "value": 1}""");
        await _host.PostAsync("/set", """{"key": "n", "value": 2}""");

        var (_, body, _) = await _host.GetAsync("/get/n");

        Assert.Equal(2, body!.AsDocument["value"].ToInt64());
    }

    [Fact]
    public async Task Get_UnknownKey_Is404()
    {
        var (status, body, _) = await _host.GetAsync("/get/absent");

        Assert.Equal(404, status);
        Assert.Equal("notFound", body!.AsDocument["error"].AsString);
        Assert.Contains("'absent'", body.AsDocument["message"].AsString, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"value": 1}""", "no field 'key'")]
    [InlineData("""{"key": 5, "value": 1}""", "'key' must be a string, not a number")]
    [InlineData("""{"key": "", "value": 1}""", "'key' must be 1 to 1024")]
    [InlineData("""{"key": "a"}""", "no field 'value'")]
    [InlineData("""{"key": "a", "value": 1, "ttl": 5}""", "Unknown field 'ttl'")]
    [InlineData("""["key", "value"]""", "must be a JSON object")]
    [InlineData("""{"key": "a", "value": """, "not valid JSON")]
    public async Task Set_BadBody_Is400(string json, string expected)
    {
        var (status, body, _) = await _host.PostAsync("/set", json);

        Assert.Equal(400, status);
        Assert.Equal("invalidBody", body!.AsDocument["error"].AsString);
        Assert.Contains(expected, body.AsDocument["message"].AsString, StringComparison.Ordinal);
        Assert.Equal(0, _host.Engine.Calls);
    }

    [Fact]
    public async Task Get_BadReadPreference_Is400()
    {
        var (status, body, _) = await _host.GetAsync("/get/a?readPreference=any");

        Assert.Equal(400, status);
        Assert.Equal("invalidParameter", body!.AsDocument["error"].AsString);
        Assert.Equal(0, _host.Engine.Calls);
    }
}
