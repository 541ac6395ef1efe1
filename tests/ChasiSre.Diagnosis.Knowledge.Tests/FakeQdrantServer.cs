using System.Collections.Concurrent;
using System.Numerics.Tensors;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Qdrant.Client.Grpc;

namespace ChasiSre.Diagnosis.Knowledge.Tests;

/// <summary>
/// An in-process gRPC server (Kestrel, HTTP/2 on 127.0.0.1:0) that speaks the subset of Qdrant's
/// API <see cref="QdrantVectorStore"/> uses: Collections.CollectionExists/Create and
/// Points.Upsert/Delete/Query/Count/CreateFieldIndex. Services and messages come from the
/// descriptors compiled into Qdrant.Client; the server evaluates payload filters (must, should,
/// keyword match, nested filters) and cosine similarity itself, so a wrong filter from the client
/// gives wrong results here too.
/// </summary>
internal sealed class FakeQdrantServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeQdrantServer(WebApplication app, FakeQdrantState state, Uri address)
    {
        _app = app;
        State = state;
        Address = address;
    }

    public FakeQdrantState State { get; }

    public Uri Address { get; }

    public static async Task<FakeQdrantServer> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        var state = new FakeQdrantState();
        builder.Services.AddSingleton(state);
        builder.Services.AddGrpc();
        var app = builder.Build();
        app.MapGrpcService<FakeQdrantCollections>();
        app.MapGrpcService<FakeQdrantPoints>();
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new FakeQdrantServer(app, state, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    internal static Method<TRequest, TResponse> Method<TRequest, TResponse>(Google.Protobuf.Reflection.ServiceDescriptor service, string name)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        var descriptor = service.FindMethodByName(name) ?? throw new InvalidOperationException($"{service.FullName} has no method {name}.");
        if (descriptor.InputType.ClrType != typeof(TRequest) || descriptor.OutputType.ClrType != typeof(TResponse))
        {
            throw new InvalidOperationException($"{service.FullName}.{name} is {descriptor.InputType.ClrType} -> {descriptor.OutputType.ClrType} in this Qdrant.Client.");
        }

        var requestParser = new MessageParser<TRequest>(() => new TRequest());
        var responseParser = new MessageParser<TResponse>(() => new TResponse());
        return new Method<TRequest, TResponse>(
            MethodType.Unary,
            service.FullName,
            name,
            Marshallers.Create(m => m.ToByteArray(), requestParser.ParseFrom),
            Marshallers.Create(m => m.ToByteArray(), responseParser.ParseFrom));
    }
}

/// <summary>Collections and points held by the fake server.</summary>
internal sealed class FakeQdrantState
{
    public ConcurrentDictionary<string, FakeCollection> Collections { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<string> Calls { get; } = new();
}

internal sealed class FakeCollection(ulong size, Distance distance)
{
    public ulong Size { get; } = size;

    public Distance Distance { get; } = distance;

    public ConcurrentDictionary<string, FieldType> FieldIndexes { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, PointStruct> Points { get; } = new(StringComparer.Ordinal);
}

/// <summary>
/// What protoc's generated <c>CollectionsBase</c> would be: Grpc.AspNetCore binds the methods
/// the bind method registers to the overrides of these virtual methods.
/// </summary>
[BindServiceMethod(typeof(FakeQdrantCollectionsBase), nameof(BindService))]
internal abstract class FakeQdrantCollectionsBase
{
    public static void BindService(ServiceBinderBase binder, FakeQdrantCollectionsBase? service)
    {
        var descriptor = CollectionsServiceReflection.Descriptor.Services.Single(s => s.Name == "Collections");
        binder.AddMethod(FakeQdrantServer.Method<CollectionExistsRequest, CollectionExistsResponse>(descriptor, nameof(CollectionExists)), (UnaryServerMethod<CollectionExistsRequest, CollectionExistsResponse>)null!);
        binder.AddMethod(FakeQdrantServer.Method<CreateCollection, CollectionOperationResponse>(descriptor, nameof(Create)), (UnaryServerMethod<CreateCollection, CollectionOperationResponse>)null!);
    }

    public abstract Task<CollectionExistsResponse> CollectionExists(CollectionExistsRequest request, ServerCallContext context);

    public abstract Task<CollectionOperationResponse> Create(CreateCollection request, ServerCallContext context);
}

internal sealed class FakeQdrantCollections(FakeQdrantState state) : FakeQdrantCollectionsBase
{
    public override Task<CollectionExistsResponse> CollectionExists(CollectionExistsRequest request, ServerCallContext context)
    {
        state.Calls.Enqueue($"Collections.CollectionExists {request.CollectionName}");
        return Task.FromResult(new CollectionExistsResponse { Result = new CollectionExists { Exists = state.Collections.ContainsKey(request.CollectionName) } });
    }

    public override Task<CollectionOperationResponse> Create(CreateCollection request, ServerCallContext context)
    {
        state.Calls.Enqueue($"Collections.Create {request.CollectionName}");
        var parameters = request.VectorsConfig?.Params ?? throw new RpcException(new Status(StatusCode.InvalidArgument, "vectors_config.params is required"));
        bool created = state.Collections.TryAdd(request.CollectionName, new FakeCollection(parameters.Size, parameters.Distance));
        if (!created)
        {
            throw new RpcException(new Status(StatusCode.AlreadyExists, $"Collection `{request.CollectionName}` already exists!"));
        }

        return Task.FromResult(new CollectionOperationResponse { Result = true });
    }
}

/// <summary>What protoc's generated <c>PointsBase</c> would be, for the RPCs the store uses.</summary>
[BindServiceMethod(typeof(FakeQdrantPointsBase), nameof(BindService))]
internal abstract class FakeQdrantPointsBase
{
    public static void BindService(ServiceBinderBase binder, FakeQdrantPointsBase? service)
    {
        var descriptor = PointsServiceReflection.Descriptor.Services.Single(s => s.Name == "Points");
        binder.AddMethod(FakeQdrantServer.Method<UpsertPoints, PointsOperationResponse>(descriptor, nameof(Upsert)), (UnaryServerMethod<UpsertPoints, PointsOperationResponse>)null!);
        binder.AddMethod(FakeQdrantServer.Method<DeletePoints, PointsOperationResponse>(descriptor, nameof(Delete)), (UnaryServerMethod<DeletePoints, PointsOperationResponse>)null!);
        binder.AddMethod(FakeQdrantServer.Method<QueryPoints, QueryResponse>(descriptor, nameof(Query)), (UnaryServerMethod<QueryPoints, QueryResponse>)null!);
        binder.AddMethod(FakeQdrantServer.Method<CountPoints, CountResponse>(descriptor, nameof(Count)), (UnaryServerMethod<CountPoints, CountResponse>)null!);
        binder.AddMethod(FakeQdrantServer.Method<CreateFieldIndexCollection, PointsOperationResponse>(descriptor, nameof(CreateFieldIndex)), (UnaryServerMethod<CreateFieldIndexCollection, PointsOperationResponse>)null!);
    }

    public abstract Task<PointsOperationResponse> Upsert(UpsertPoints request, ServerCallContext context);

    public abstract Task<PointsOperationResponse> Delete(DeletePoints request, ServerCallContext context);

    public abstract Task<QueryResponse> Query(QueryPoints request, ServerCallContext context);

    public abstract Task<CountResponse> Count(CountPoints request, ServerCallContext context);

    public abstract Task<PointsOperationResponse> CreateFieldIndex(CreateFieldIndexCollection request, ServerCallContext context);
}

internal sealed class FakeQdrantPoints(FakeQdrantState state) : FakeQdrantPointsBase
{
    public override Task<PointsOperationResponse> Upsert(UpsertPoints request, ServerCallContext context)
    {
        state.Calls.Enqueue($"Points.Upsert {request.CollectionName} {request.Points.Count}");
        var collection = Collection(request.CollectionName);
        foreach (var point in request.Points)
        {
            var vector = DenseVector(point.Vectors);
            if ((ulong)vector.Length != collection.Size)
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, $"Wrong input: Vector dimension error: expected dim: {collection.Size}, got {vector.Length}"));
            }

            collection.Points[Key(point.Id)] = point;
        }

        return Task.FromResult(Completed());
    }

    public override Task<PointsOperationResponse> Delete(DeletePoints request, ServerCallContext context)
    {
        state.Calls.Enqueue($"Points.Delete {request.CollectionName}");
        var collection = Collection(request.CollectionName);
        var ids = request.Points?.Points?.Ids ?? throw new RpcException(new Status(StatusCode.Unimplemented, "the fake deletes by id only"));
        foreach (var id in ids)
        {
            collection.Points.TryRemove(Key(id), out _);
        }

        return Task.FromResult(Completed());
    }

    public override Task<QueryResponse> Query(QueryPoints request, ServerCallContext context)
    {
        state.Calls.Enqueue($"Points.Query {request.CollectionName}");
        var collection = Collection(request.CollectionName);
        var nearest = request.Query?.Nearest ?? throw new RpcException(new Status(StatusCode.Unimplemented, "the fake answers nearest-vector queries only"));
        var query = nearest.Dense?.Data.ToArray() ?? throw new RpcException(new Status(StatusCode.Unimplemented, "the fake answers dense queries only"));
        ulong limit = request.HasLimit ? request.Limit : 10;
        var response = new QueryResponse();
        var hits = collection.Points.Values
            .Where(p => Matches(request.Filter, p))
            .Select(p => (Point: p, Score: TensorPrimitives.CosineSimilarity(query, DenseVector(p.Vectors))))
            .OrderByDescending(h => h.Score)
            .Take((int)limit);
        foreach (var (point, score) in hits)
        {
            var scored = new ScoredPoint { Id = point.Id, Score = score, Version = 1 };
            foreach (var (key, value) in point.Payload)
            {
                if (request.WithPayload?.Include is not { } include || include.Fields.Contains(key))
                {
                    scored.Payload[key] = value;
                }
            }

            response.Result.Add(scored);
        }

        return Task.FromResult(response);
    }

    public override Task<CountResponse> Count(CountPoints request, ServerCallContext context)
    {
        var collection = Collection(request.CollectionName);
        return Task.FromResult(new CountResponse { Result = new CountResult { Count = (ulong)collection.Points.Values.Count(p => Matches(request.Filter, p)) } });
    }

    public override Task<PointsOperationResponse> CreateFieldIndex(CreateFieldIndexCollection request, ServerCallContext context)
    {
        state.Calls.Enqueue($"Points.CreateFieldIndex {request.CollectionName} {request.FieldName} {request.FieldType}");
        if (!request.HasFieldType)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "field_type is required"));
        }

        Collection(request.CollectionName).FieldIndexes[request.FieldName] = request.FieldType;
        return Task.FromResult(Completed());
    }

    private FakeCollection Collection(string name) =>
        state.Collections.TryGetValue(name, out var collection)
            ? collection
            : throw new RpcException(new Status(StatusCode.NotFound, $"Not found: Collection `{name}` doesn't exist!"));

    private static PointsOperationResponse Completed() => new() { Result = new UpdateResult { OperationId = 1, Status = UpdateStatus.Completed } };

    private static string Key(PointId id) => id.HasUuid ? id.Uuid : id.Num.ToString(System.Globalization.CultureInfo.InvariantCulture);

    // Clients up to 1.x still fill the deprecated Vector.data field; newer ones may use Vector.dense.
#pragma warning disable CS0612
    private static float[] DenseVector(Vectors vectors) =>
        vectors.Vector?.Dense?.Data.ToArray() is { Length: > 0 } dense ? dense : vectors.Vector?.Data.ToArray() ?? [];
#pragma warning restore CS0612

    private static bool Matches(Filter? filter, PointStruct point)
    {
        if (filter is null)
        {
            return true;
        }

        return filter.Must.All(c => Matches(c, point))
            && (filter.Should.Count == 0 || filter.Should.Any(c => Matches(c, point)))
            && !filter.MustNot.Any(c => Matches(c, point));
    }

    private static bool Matches(Condition condition, PointStruct point) => condition.ConditionOneOfCase switch
    {
        Condition.ConditionOneOfOneofCase.Field when condition.Field.Match?.MatchValueCase == Match.MatchValueOneofCase.Keyword =>
            point.Payload.TryGetValue(condition.Field.Key, out var value) && value.StringValue == condition.Field.Match.Keyword,
        Condition.ConditionOneOfOneofCase.Filter => Matches(condition.Filter, point),
        _ => throw new RpcException(new Status(StatusCode.Unimplemented, $"the fake does not evaluate {condition.ConditionOneOfCase} conditions")),
    };
}
