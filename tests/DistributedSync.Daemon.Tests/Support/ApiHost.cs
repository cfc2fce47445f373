using System.Net.Http.Headers;
using System.Text;
using DistributedSync.Bson;
using DistributedSync.Bson.Json;
using DistributedSync.Daemon.Engine;
using DistributedSync.Daemon.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DistributedSync.Daemon.Tests.Support;

/// <summary>The daemon's HTTP API on 127.0.0.1 with an ephemeral port, backed by a <see cref="FakeSyncEngine"/>.</summary>
public sealed class ApiHost : IAsyncLifetime
{
    public const long BodyLimit = 64 * 1024;

    private WebApplication? _app;

    internal FakeSyncEngine Engine { get; } = new();

    internal CapturingLoggerProvider Logs { get; } = new();

    public HttpClient Client { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var settings = TestSettings.Valid();
        settings["DistributedSync:Http:MaxRequestBodyBytes"] = BodyLimit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _app = DaemonApplication.Build([], builder =>
        {
            builder.Configuration.Sources.Clear();
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.AddProvider(Logs);
            builder.Services.AddSingleton<ISyncEngine>(Engine);
        });
        await _app.StartAsync(TestContext.Current.CancellationToken);
        var address = DaemonApplication.ListeningAddresses(_app).Single();
        Client = new HttpClient { BaseAddress = new Uri(address) };
        // One connection per request: the host is shared by a test class, and tests that are
        // refused early (413, 415, ...) make Kestrel close their connection; a later test reusing
        // that pooled connection could race its FIN and fail with "response ended prematurely".
        Client.DefaultRequestHeaders.ConnectionClose = true;
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>Sends a request; returns the status, the parsed body (null when empty) and the response.</summary>
    public async Task<(int Status, BsonValue? Body, HttpResponseMessage Response)> SendAsync(HttpMethod method, string path, string? json = null, string? contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = contentType is null ? null : MediaTypeHeaderValue.Parse(contentType);
        }

        var response = await Client.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var body = text.Length == 0 ? null : ExtendedJson.ParseValue(text);
        return ((int)response.StatusCode, body, response);
    }

    public Task<(int Status, BsonValue? Body, HttpResponseMessage Response)> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    public Task<(int Status, BsonValue? Body, HttpResponseMessage Response)> PostAsync(string path, string json) => SendAsync(HttpMethod.Post, path, json);
}
