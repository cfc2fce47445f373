using DistributedSync.Mongo.Configuration;
using Xunit;

namespace DistributedSync.Mongo.Tests.Configuration;

public sealed class ConnectionStringRedactionTests
{
    private const string Secret = "Sup3rS3cretPw";

    public static TheoryData<string> Valid => new()
    {
        "mongodb://alice:" + Secret + "@localhost",
        "mongodb://alice:" + Secret + "@a:27018,b/admin?replicaSet=rs0&w=majority",
        "mongodb://alice:" + Secret + "@%2Ftmp%2Fm.sock/db?appName=x",
        "mongodb://al%40ice:" + Secret + "%3A%40@[::1]:27019/?authMechanism=SCRAM-SHA-1",
        "mongodb://alice:" + Secret + "@h?tls=true",
        "mongodb://alice:" + Secret + "@h/?foo=bar&&connectTimeoutMS=5",
        "mongodb+srv://alice:" + Secret + "@cluster.example.com/db",
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void ToString_hides_the_password(string connectionString)
    {
        var cs = MongoConnectionString.Parse(connectionString);

        Assert.StartsWith(Secret, cs.Password, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, cs.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, $"{cs}", StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, cs.Credential!.ToString(), StringComparison.Ordinal);
        Assert.Contains(":****@", cs.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Valid))]
    public void ToString_round_trips_everything_but_the_password(string connectionString)
    {
        var original = MongoConnectionString.Parse(connectionString);
        var reparsed = MongoConnectionString.Parse(original.ToString());

        Assert.Equal(original.ToString(), reparsed.ToString());
        Assert.Equal("****", reparsed.Password);
        Assert.Equal(original.Scheme, reparsed.Scheme);
        Assert.Equal(original.Username, reparsed.Username);
        Assert.Equal(original.Hosts, reparsed.Hosts);
        Assert.Equal(original.DatabaseName, reparsed.DatabaseName);
        Assert.Equal(original.Options, reparsed.Options);
        Assert.Equal(original.OptionValues.Keys.Order(), reparsed.OptionValues.Keys.Order());
        Assert.Equal(original.Credential!.Source, reparsed.Credential!.Source);
        Assert.Equal(original.Credential.Mechanism, reparsed.Credential.Mechanism);
    }

    [Fact]
    public void ToString_without_secrets_is_the_input()
    {
        const string text = "mongodb://alice@a:27018,b/admin?replicaSet=rs0&w=majority&tlsCAFile=%2Fca.pem";

        Assert.Equal(text, MongoConnectionString.Parse(text).ToString());
    }

    [Fact]
    public void Secret_option_values_are_hidden()
    {
        var cs = MongoConnectionString.Parse(
            "mongodb://h/?proxyHost=p&proxyUsername=u&proxyPassword=" + Secret + "&tls=true&tlsCertificateKeyFilePassword=" + Secret);

        Assert.Equal(Secret, cs.TlsCertificateKeyFilePassword);
        Assert.DoesNotContain(Secret, cs.ToString(), StringComparison.Ordinal);
        Assert.Contains("proxyPassword=****", cs.ToString(), StringComparison.Ordinal);
        Assert.Contains("tlsCertificateKeyFilePassword=****", cs.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Invalid strings holding the secret somewhere the parser may quote.</summary>
    public static TheoryData<string> Invalid => new()
    {
        "mongodb://alice:" + Secret + "@host:99999",
        "mongodb://alice:" + Secret + "@host/?w",
        "mongodb://alice:" + Secret + ":x@host",
        "mongodb://alice:" + Secret + "@@host",
        "mongodb://alice@" + Secret + ":x@host",
        "mongodb://alice:Sup3r/S3cretPw@host/db",
        "mongodb://alice:Sup3r?S3cretPw@host/db",
        "mongodb://alice:Sup3r#S3cretPw@host/db",
        "mongodb://alice:" + Secret + "%zz@host",
        "mongodb://alice:" + Secret + "@[::1",
        "mongodb://alice:" + Secret + "@host,,other",
        "mongodb://alice:" + Secret + "@host/?authSource=",
        "mongodb://alice:" + Secret + "@host/?authMechanism=MONGODB-X509",
        "mongodb://alice:" + Secret + "@host/?authMechanism=" + Secret,
        "mongodb://alice:" + Secret + "@host/?tls=true&ssl=false",
        "mongodb://alice:" + Secret + "@host/bad$db",
        "mongo://alice:" + Secret + "@host",
        "mongodb+srv://alice:" + Secret + "@a.example.com:1",
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Error_messages_hide_the_password(string connectionString)
    {
        var ex = Assert.Throws<MongoConnectionStringException>(() => MongoConnectionString.Parse(connectionString));

        foreach (var fragment in new[] { Secret, "Sup3r", "S3cretPw" })
        {
            Assert.DoesNotContain(fragment, ex.Message, StringComparison.Ordinal);
        }

        Assert.False(MongoConnectionString.TryParse(connectionString, out _, out var error));
        Assert.DoesNotContain(Secret, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("connectTimeoutMS=" + Secret)]
    [InlineData("journal=" + Secret)]
    [InlineData("readPreference=" + Secret)]
    [InlineData("proxyHost=p&proxyUsername=u&proxyPassword=" + Secret + "&proxyPassword=" + Secret)]
    public void Warnings_hide_the_password(string options)
    {
        var cs = MongoConnectionString.Parse("mongodb://alice:" + Secret + "@host/?" + options);

        Assert.NotEmpty(cs.Warnings);
        Assert.All(cs.Warnings, w => Assert.DoesNotContain(Secret, w, StringComparison.Ordinal));
    }
}
