using DistributedSync.Mongo.Configuration;
using Xunit;

namespace DistributedSync.Mongo.Tests.Configuration;

public sealed class ConnectionStringOptionTests
{
    [Fact]
    public void Defaults_when_no_option_is_given()
    {
        var cs = MongoConnectionString.Parse("mongodb://localhost");

        Assert.Equal(TimeSpan.FromSeconds(10), cs.ConnectTimeout);
        Assert.Equal(Timeout.InfiniteTimeSpan, cs.SocketTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), cs.ServerSelectionTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), cs.HeartbeatFrequency);
        Assert.Equal(TimeSpan.FromMilliseconds(15), cs.LocalThreshold);
        Assert.Equal(Timeout.InfiniteTimeSpan, cs.MaxIdleTime);
        Assert.Equal(TimeSpan.FromMinutes(2), cs.WaitQueueTimeout);
        Assert.Equal(100, cs.MaxPoolSize);
        Assert.Equal(0, cs.MinPoolSize);
        Assert.Equal(2, cs.MaxConnecting);
        Assert.False(cs.Tls);
        Assert.False(cs.TlsAllowInvalidCertificates);
        Assert.Null(cs.DirectConnection);
        Assert.Null(cs.W);
        Assert.Null(cs.Journal);
        Assert.Null(cs.WTimeout);
        Assert.True(cs.RetryWrites);
        Assert.True(cs.RetryReads);
        Assert.Equal(ReadPreferenceMode.Primary, cs.ReadPreference);
        Assert.Empty(cs.ReadPreferenceTags);
        Assert.Empty(cs.AuthMechanismProperties);
        Assert.Null(cs.Credential);
        Assert.Empty(cs.Warnings);
        Assert.Empty(cs.OptionValues);
        var host = Assert.Single(cs.Hosts);
        Assert.Equal(new MongoHost("localhost", 27017), host);
    }

    [Fact]
    public void Honoured_options_are_typed()
    {
        var cs = MongoConnectionString.Parse(
            "mongodb://h1:27018/?directConnection=true&appName=my%20app&connectTimeoutMS=2500&socketTimeoutMS=4000"
            + "&serverSelectionTimeoutMS=1500&maxPoolSize=7&minPoolSize=2&maxIdleTimeMS=60000&waitQueueTimeoutMS=900"
            + "&tls=true&tlsCAFile=%2Fetc%2Fca.pem&tlsAllowInvalidCertificates=true&w=majority&wTimeoutMS=5000"
            + "&journal=true&replicaSet=rs0&readPreference=secondaryPreferred&readPreferenceTags=dc:ny,rack:1"
            + "&readPreferenceTags=&heartbeatFrequencyMS=750&retryWrites=false&compressors=zstd,zlib");

        Assert.Empty(cs.Warnings);
        Assert.True(cs.DirectConnection);
        Assert.Equal("my app", cs.AppName);
        Assert.Equal(TimeSpan.FromMilliseconds(2500), cs.ConnectTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(4000), cs.SocketTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), cs.ServerSelectionTimeout);
        Assert.Equal(7, cs.MaxPoolSize);
        Assert.Equal(2, cs.MinPoolSize);
        Assert.Equal(TimeSpan.FromMinutes(1), cs.MaxIdleTime);
        Assert.Equal(TimeSpan.FromMilliseconds(900), cs.WaitQueueTimeout);
        Assert.True(cs.Tls);
        Assert.Equal("/etc/ca.pem", cs.TlsCAFile);
        Assert.True(cs.TlsAllowInvalidCertificates);
        Assert.False(cs.TlsAllowInvalidHostnames);
        Assert.True(cs.W!.IsMajority);
        Assert.Equal(TimeSpan.FromSeconds(5), cs.WTimeout);
        Assert.True(cs.Journal);
        Assert.Equal("rs0", cs.ReplicaSet);
        Assert.Equal(ReadPreferenceMode.SecondaryPreferred, cs.ReadPreference);
        Assert.Equal(2, cs.ReadPreferenceTags.Count);
        Assert.Equal("ny", cs.ReadPreferenceTags[0]["dc"]);
        Assert.Equal("1", cs.ReadPreferenceTags[0]["rack"]);
        Assert.Empty(cs.ReadPreferenceTags[1]);
        Assert.Equal(TimeSpan.FromMilliseconds(750), cs.HeartbeatFrequency);
        Assert.False(cs.RetryWrites);
        Assert.Equal(["zstd", "zlib"], cs.Compressors);
    }

    [Fact]
    public void Option_keys_are_case_insensitive_and_values_decoded()
    {
        var cs = MongoConnectionString.Parse("mongodb://h/?CONNECTTIMEOUTMS=5&ReplicaSet=a%26b%3Dc");

        Assert.Equal(TimeSpan.FromMilliseconds(5), cs.ConnectTimeout);
        Assert.Equal("a&b=c", cs.ReplicaSet);
        Assert.Equal("a&b=c", cs.Options["replicaset"]);
        Assert.Equal(5, cs.OptionValues["connecttimeoutms"]);
    }

    [Fact]
    public void Zero_timeouts_mean_no_timeout()
    {
        var cs = MongoConnectionString.Parse("mongodb://h/?connectTimeoutMS=0&socketTimeoutMS=0");

        Assert.Equal(Timeout.InfiniteTimeSpan, cs.ConnectTimeout);
        Assert.Equal(Timeout.InfiniteTimeSpan, cs.SocketTimeout);
    }

    [Theory]
    [InlineData("w=0", 0, null)]
    [InlineData("w=3", 3, null)]
    [InlineData("w=majority", null, "majority")]
    [InlineData("w=myTag", null, "myTag")]
    public void W_is_a_count_or_a_tag(string option, int? count, string? tag)
    {
        var w = MongoConnectionString.Parse("mongodb://h/?" + option).W;

        Assert.NotNull(w);
        Assert.Equal(count, w.Count);
        Assert.Equal(tag, w.Tag);
    }

    [Theory]
    [InlineData("connectTimeoutMS=abc", "connectTimeoutMS")]
    [InlineData("connectTimeoutMS=-1", "non-negative")]
    [InlineData("maxPoolSize=99999999999", "maxPoolSize")]
    [InlineData("heartbeatFrequencyMS=100", "at least 500")]
    [InlineData("serverSelectionTimeoutMS=0", "positive")]
    [InlineData("zlibCompressionLevel=10", "-1 to 9")]
    [InlineData("journal=maybe", "'true' or 'false'")]
    [InlineData("journal=", "journal")]
    [InlineData("w=-1", "non-negative")]
    [InlineData("readPreference=fastest", "primaryPreferred")]
    [InlineData("authMechanismProperties=novalue", "key:value")]
    [InlineData("compressors=lz4", "lz4")]
    [InlineData("foo=bar", "Unsupported option 'foo'")]
    [InlineData("replicaSet=a&replicaSet=b", "more than once")]
    [InlineData("wtimeout=5", "deprecated")]
    [InlineData("wtimeout=5&wTimeoutMS=10", "ignored because")]
    [InlineData("retryWrites=yes", "Deprecated boolean value")]
    public void Ignored_or_deprecated_values_produce_a_warning(string option, string fragment)
    {
        var cs = MongoConnectionString.Parse("mongodb://h/?" + option);

        Assert.Contains(cs.Warnings, w => w.Contains(fragment, StringComparison.Ordinal));
    }

    [Fact]
    public void Invalid_value_is_ignored_and_the_default_stays()
    {
        var cs = MongoConnectionString.Parse("mongodb://h/?maxPoolSize=lots&connectTimeoutMS=abc");

        Assert.Equal(100, cs.MaxPoolSize);
        Assert.Equal(TimeSpan.FromSeconds(10), cs.ConnectTimeout);
        Assert.Equal("lots", cs.Options["maxPoolSize"]);
        Assert.False(cs.OptionValues.ContainsKey("maxPoolSize"));
    }

    [Fact]
    public void Deprecated_wtimeout_applies_when_alone()
        => Assert.Equal(TimeSpan.FromMilliseconds(5), MongoConnectionString.Parse("mongodb://h/?wtimeout=5").WTimeout);

    [Fact]
    public void TlsInsecure_implies_both_relaxations()
    {
        var cs = MongoConnectionString.Parse("mongodb://h/?tls=true&tlsInsecure=true");

        Assert.True(cs.TlsAllowInvalidCertificates);
        Assert.True(cs.TlsAllowInvalidHostnames);
    }

    [Theory]
    [InlineData("ssl=true", true)]
    [InlineData("tls=true&ssl=true", true)]
    [InlineData("tls=false&ssl=false", false)]
    [InlineData("tls=TRUE", true)]
    public void Tls_and_ssl_agree(string options, bool expected)
        => Assert.Equal(expected, MongoConnectionString.Parse("mongodb://h/?" + options).Tls);

    [Fact]
    public void AuthMechanismProperties_split_on_the_first_colon()
    {
        var cs = MongoConnectionString.Parse(
            "mongodb://h/?authMechanism=MONGODB-OIDC&authMechanismProperties=ENVIRONMENT:azure,TOKEN_RESOURCE:api://x:1");

        Assert.Equal("api://x:1", cs.AuthMechanismProperties["token_resource"]);
        Assert.Equal("azure", cs.AuthMechanismProperties["ENVIRONMENT"]);
        Assert.Equal("MONGODB-OIDC", cs.AuthMechanism);
    }

    [Fact]
    public void Unknown_options_stay_visible_but_are_not_honoured()
    {
        var cs = MongoConnectionString.Parse("mongodb://h/?foo=b%20ar");

        Assert.Equal("b ar", cs.Options["FOO"]);
        Assert.Empty(cs.OptionValues);
        Assert.Single(cs.Warnings);
    }
}
