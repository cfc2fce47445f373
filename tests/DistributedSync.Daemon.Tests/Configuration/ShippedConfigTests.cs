using DistributedSync.Daemon.Configuration;
using DistributedSync.Daemon.Logging;
using DistributedSync.Mongo.Configuration;
using DistributedSync.TestKit;
using Microsoft.Extensions.Configuration;

namespace DistributedSync.Daemon.Tests.Configuration;

/// <summary>The configuration files in config/ and docker-compose.mongo.yml bind, validate and agree.</summary>
public sealed class ShippedConfigTests
{
    private static string RepoFile(string relative) => Path.Combine(SharedData.RepositoryRoot(), relative);

    private static IConfigurationRoot Load(string relative)
        => new ConfigurationBuilder().AddJsonFile(RepoFile(relative), optional: false, reloadOnChange: false).Build();

    [Theory]
    [InlineData("config/appsettings.json")]
    [InlineData("config/appsettings.mongo.json")]
    public void ShippedFile_BindsAndValidates(string relative)
    {
        var options = DistributedSyncOptionsBinder.Bind(Load(relative));

        var result = new DistributedSyncOptionsValidator().Validate(null, options);

        Assert.True(result.Succeeded, result.FailureMessage);
        Assert.Equal([1, 2, 3], options.Nodes.Select(n => n.Id));
        Assert.Equal("app", options.Database);
        Assert.Equal("distsync", options.MetadataDatabase);
        Assert.Equal("http://127.0.0.1:5080", options.Http.Urls);
    }

    [Fact]
    public void EmbeddedDefault_RunsThreeEmulatorNodesOn27117To27119()
    {
        var options = DistributedSyncOptionsBinder.Bind(Load("config/appsettings.json"));

        Assert.True(options.Embedded.Enabled);
        Assert.Equal("data", options.Embedded.DataDirectory);
        Assert.Equal(["mongodb://127.0.0.1:27117/", "mongodb://127.0.0.1:27118/", "mongodb://127.0.0.1:27119/"], options.Nodes.Select(n => n.Uri));
    }

    [Fact]
    public void MongoFile_TargetsTheComposeServersWithTheirRootUser()
    {
        var options = DistributedSyncOptionsBinder.Bind(Load("config/appsettings.mongo.json"));
        var compose = File.ReadAllText(RepoFile("docker-compose.mongo.yml"));

        Assert.False(options.Embedded.Enabled);
        var uris = options.Nodes.Select(n => MongoConnectionString.Parse(n.Uri)).ToList();
        Assert.Equal([27017, 27018, 27019], uris.Select(u => u.Hosts[0].Port));
        foreach (var uri in uris)
        {
            Assert.Contains($"MONGO_INITDB_ROOT_USERNAME: {uri.Username}", compose, StringComparison.Ordinal);
            Assert.Contains($"MONGO_INITDB_ROOT_PASSWORD: {uri.Password}", compose, StringComparison.Ordinal);
            Assert.Contains($"\"127.0.0.1:{uri.Hosts[0].Port}:27017\"", compose, StringComparison.Ordinal);
            Assert.Equal("admin", uri.Credential?.Source);
        }

        Assert.Contains("image: mongo:8.0", compose, StringComparison.Ordinal);
        Assert.Equal(3, compose.Split("- mongo", StringSplitOptions.None).Length - 1);
    }

    [Theory]
    [InlineData("config/appsettings.json")]
    [InlineData("config/appsettings.mongo.json")]
    public void ShippedFile_SerilogSectionBuildsALogger(string relative)
    {
        using var logger = SerilogSetup.CreateLogger(Load(relative));

        Assert.True(logger.IsEnabled(Serilog.Events.LogEventLevel.Information));
        Assert.False(logger.IsEnabled(Serilog.Events.LogEventLevel.Debug));
    }
}
