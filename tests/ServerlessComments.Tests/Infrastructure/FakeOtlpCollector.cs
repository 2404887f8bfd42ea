using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ServerlessComments.Tests.Infrastructure;

/// <summary>
/// A stand-in for an OpenTelemetry collector on loopback, for OTLP over HTTP with protobuf
/// (<c>POST /v1/traces</c>, <c>/v1/metrics</c>): it keeps each span's ids, name and string
/// attributes, and each metric's name. It reads the few protobuf fields it needs by their numbers
/// in the OTLP schema (opentelemetry-proto's trace.proto and metrics.proto), nothing more.
/// </summary>
public sealed class FakeOtlpCollector : IAsyncDisposable
{
    private readonly WebApplication _app;
    public Uri Endpoint { get; }
    public ConcurrentQueue<Span> Spans { get; } = new();
    public ConcurrentDictionary<string, bool> Metrics { get; } = new();

    public sealed record Span(string TraceId, string SpanId, string ParentSpanId, string Name, IReadOnlyDictionary<string, string> Attributes);

    private FakeOtlpCollector(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    public static Task<FakeOtlpCollector> StartAsync() => LoopbackServer.StartAsync((app, url) =>
    {
        var fake = new FakeOtlpCollector(app, url);
        app.MapPost("/v1/traces", async (HttpRequest request) => { fake.ReadTraces(await BodyAsync(request)); return Results.Ok(); });
        app.MapPost("/v1/metrics", async (HttpRequest request) => { fake.ReadMetrics(await BodyAsync(request)); return Results.Ok(); });
        return fake;
    });

    private static async Task<byte[]> BodyAsync(HttpRequest request)
    {
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        return body.ToArray();
    }

    // ExportTraceServiceRequest: 1 resource_spans → ResourceSpans: 2 scope_spans → ScopeSpans: 2 spans.
    private void ReadTraces(byte[] request)
    {
        foreach (var resource in Fields(request, 1))
        foreach (var scope in Fields(resource, 2))
        foreach (var span in Fields(scope, 2))
        {
            // Span: 1 trace_id, 2 span_id, 4 parent_span_id, 5 name, 9 attributes (KeyValue: 1 key, 2 AnyValue: 1 string_value).
            var attributes = new Dictionary<string, string>();
            foreach (var attribute in Fields(span, 9))
            {
                var key = Encoding.UTF8.GetString(Fields(attribute, 1).FirstOrDefault() ?? []);
                if (Fields(attribute, 2).FirstOrDefault() is { } value && Fields(value, 1).FirstOrDefault() is { } text)
                    attributes[key] = Encoding.UTF8.GetString(text);
            }
            Spans.Enqueue(new Span(Hex(span, 1), Hex(span, 2), Hex(span, 4), Encoding.UTF8.GetString(Fields(span, 5).FirstOrDefault() ?? []), attributes));
        }
    }

    // ExportMetricsServiceRequest: 1 resource_metrics → 2 scope_metrics → 2 metrics → Metric: 1 name.
    private void ReadMetrics(byte[] request)
    {
        foreach (var resource in Fields(request, 1))
        foreach (var scope in Fields(resource, 2))
        foreach (var metric in Fields(scope, 2))
            Metrics[Encoding.UTF8.GetString(Fields(metric, 1).FirstOrDefault() ?? [])] = true;
    }

    private static string Hex(byte[] message, int field) => Convert.ToHexStringLower(Fields(message, field).FirstOrDefault() ?? []);

    /// <summary>The length-delimited fields with this number, skipping every other field.</summary>
    private static List<byte[]> Fields(byte[] message, int number)
    {
        var found = new List<byte[]>();
        var at = 0;
        while (at < message.Length)
        {
            var tag = Varint(message, ref at);
            var (field, wire) = ((int)(tag >> 3), (int)(tag & 7));
            switch (wire)
            {
                case 0: Varint(message, ref at); break;
                case 1: at += 8; break;
                case 5: at += 4; break;
                case 2:
                    var length = (int)Varint(message, ref at);
                    if (field == number)
                        found.Add(message[at..(at + length)]);
                    at += length;
                    break;
                default: throw new InvalidDataException($"protobuf wire type {wire} is not expected in OTLP");
            }
        }
        return found;
    }

    private static ulong Varint(byte[] message, ref int at)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = message[at++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
                return value;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
