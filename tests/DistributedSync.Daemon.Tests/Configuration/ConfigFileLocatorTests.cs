using DistributedSync.Daemon.Configuration;
using Microsoft.Extensions.Configuration;

namespace DistributedSync.Daemon.Tests.Configuration;

public sealed class ConfigFileLocatorTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("distsync-config-").FullName;
    private readonly string _work;
    private readonly string _bin;

    public ConfigFileLocatorTests()
    {
        _work = Directory.CreateDirectory(Path.Combine(_root, "work")).FullName;
        _bin = Directory.CreateDirectory(Path.Combine(_root, "bin")).FullName;
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void NothingAnywhere_IsNull()
        => Assert.Null(ConfigFileLocator.Locate([], _work, _bin, _ => null));

    [Fact]
    public void WorkingDirectoryDefault_WinsOverTheBinariesCopy()
    {
        var inWork = Write(_work, "config/appsettings.json");
        Write(_bin, "config/appsettings.json");

        Assert.Equal(inWork, ConfigFileLocator.Locate([], _work, _bin, _ => null));
    }

    [Fact]
    public void BinariesCopy_IsTheFallback()
    {
        var inBin = Write(_bin, "config/appsettings.json");

        Assert.Equal(inBin, ConfigFileLocator.Locate([], _work, _bin, _ => null));
    }

    [Theory]
    [InlineData("--config", "my.json")]
    [InlineData("--config=my.json", null)]
    public void CommandLine_NamesTheFile_RelativeToTheWorkingDirectory(string first, string? second)
    {
        Write(_work, "config/appsettings.json");
        var mine = Write(_work, "my.json");
        string[] args = second is null ? [first] : [first, second];

        Assert.Equal(mine, ConfigFileLocator.Locate(args, _work, _bin, _ => "other.json"));
    }

    [Fact]
    public void EnvironmentVariable_NamesTheFile()
    {
        var mine = Write(_root, "env.json");

        Assert.Equal(mine, ConfigFileLocator.Locate([], _work, _bin, name => name == "DISTSYNC_CONFIG" ? mine : null));
    }

    [Fact]
    public void NamedFileMissing_Throws()
    {
        var ex = Assert.Throws<FileNotFoundException>(() => ConfigFileLocator.Locate(["--config", "absent.json"], _work, _bin, _ => null));

        Assert.Contains("--config", ex.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(_work, "absent.json"), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sources_FileThenEnvironmentThenCommandLine()
    {
        var file = Write(_work, "layers.json", """{"DistributedSync": {"Database": "fromfile", "MetadataDatabase": "metafile", "Http": {"Urls": "http://127.0.0.1:1"}}}""");
        var variable = "DistributedSync__MetadataDatabase";
        Environment.SetEnvironmentVariable(variable, "metaenv");
        try
        {
            var builder = new ConfigurationBuilder();
            builder.AddInMemoryCollection(new Dictionary<string, string?> { ["DistributedSync:Database"] = "dropped" });
            ConfigFileLocator.ApplySources(builder, file, ["--DistributedSync:Http:Urls=http://127.0.0.1:2"]);
            var configuration = builder.Build();

            Assert.Equal("fromfile", configuration["DistributedSync:Database"]);
            Assert.Equal("metaenv", configuration["DistributedSync:MetadataDatabase"]);
            Assert.Equal("http://127.0.0.1:2", configuration["DistributedSync:Http:Urls"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    private static string Write(string folder, string relative, string text = "{}")
    {
        var path = Path.Combine(folder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }
}
