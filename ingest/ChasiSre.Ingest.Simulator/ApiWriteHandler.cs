using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ChasiSre.Ingest.Simulator;

/// <summary>
/// The write verbs of the simulated API server: create (POST), update (PUT), patch (merge, JSON, strategic
/// merge and server-side apply), delete (with preconditions, propagation, namespace contents), delete
/// collection, and the <c>status</c> and <c>scale</c> subresources; every one honours <c>dryRun=All</c>.
/// Each real write goes through <see cref="ObjectStore.Mutate"/>, so it is atomic, gets a new
/// resourceVersion and reaches the watchers.
/// </summary>
internal sealed partial class ApiWriteHandler
{
    private const string MergePatchType = "application/merge-patch+json";
    private const string JsonPatchType = "application/json-patch+json";
    private const string StrategicMergePatchType = "application/strategic-merge-patch+json";
    private const string ApplyPatchType = "application/apply-patch+yaml";
    private const string GenerateNameAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    private readonly ObjectStore _store;
    private readonly ResourceCatalog _catalog;
    private readonly ApiServerSimulatorOptions _options;
    private readonly ILogger _logger;
    private readonly CustomResourceDefinitions _definitions;

    public ApiWriteHandler(ObjectStore store, ResourceCatalog catalog, ApiServerSimulatorOptions options, ILogger logger, CustomResourceDefinitions definitions)
    {
        _definitions = definitions;
        _store = store;
        _catalog = catalog;
        _options = options;
        _logger = logger;
    }

    /// <summary>True when <paramref name="route"/> with <paramref name="method"/> is a write (or a scale read) this handler serves.</summary>
    public static bool Handles(ApiRoute route, string method) =>
        (route.Kind, method) switch
        {
            (RouteKind.Collection, "POST" or "DELETE") => true,
            (RouteKind.Item, "PUT" or "PATCH" or "DELETE") => true,
            (RouteKind.Subresource, "PUT" or "PATCH") when route.Subresource is "status" or "scale" => true,
            (RouteKind.Subresource, "GET") when route.Subresource == "scale" => true,
            _ => false,
        };

    /// <summary>Serves one write; the HTTP status and the body to answer with.</summary>
    public async Task<(int Code, JsonObject Body)> HandleAsync(HttpContext context, ApiRoute route, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var type = route.Type!;
        if (!TryDryRun(request.Query["dryRun"], out var dryRun, out var dryRunError))
        {
            return Answer(dryRunError);
        }

        if (route.Subresource == "status" && !HasStatusSubresource(type))
        {
            return Answer(ApiStatus.PathNotFound());
        }

        // kubectl (--validate=strict, its default) asks for Strict: unknown fields of a custom resource are then refused.
        var strict = string.Equals(request.Query["fieldValidation"].ToString(), "Strict", StringComparison.Ordinal);

        JsonNode? body = null;
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(cancellationToken);
        if (!string.IsNullOrWhiteSpace(text))
        {
            try
            {
                body = JsonNode.Parse(text);
            }
            catch (JsonException ex)
            {
                var what = request.ContentType?.StartsWith(ApplyPatchType, StringComparison.Ordinal) == true
                    ? "the simulator reads apply patches in their JSON form (as kubectl and client-go send them)"
                    : "the request body is not valid JSON";
                return Answer(ApiStatus.BadRequest($"{what}: {ex.Message}"));
            }
        }

        var result = (route.Kind, request.Method, route.Subresource) switch
        {
            (RouteKind.Collection, "POST", _) => Create(type, route.Namespace, body, dryRun, strict),
            (RouteKind.Collection, "DELETE", _) => DeleteCollection(context, type, route.Namespace, body, dryRun),
            (RouteKind.Item, "PUT", _) => Update(type, route.Namespace, route.Name!, body, dryRun, WriteTarget.Main, strict),
            (RouteKind.Item, "PATCH", _) => Patch(type, route.Namespace, route.Name!, request.ContentType, request.Query["fieldManager"].ToString(), body, dryRun, WriteTarget.Main, strict),
            (RouteKind.Item, "DELETE", _) => Delete(type, route.Namespace, route.Name!, DeleteOptions(context, body), dryRun),
            (RouteKind.Subresource, "PUT", "status") => Update(type, route.Namespace, route.Name!, body, dryRun, WriteTarget.Status, strict),
            (RouteKind.Subresource, "PATCH", "status") => Patch(type, route.Namespace, route.Name!, request.ContentType, request.Query["fieldManager"].ToString(), body, dryRun, WriteTarget.Status, strict),
            (RouteKind.Subresource, _, "scale") => Scale(type, route.Namespace, route.Name!, request.Method, request.ContentType, body, dryRun),
            _ => Answer(ApiStatus.MethodNotAllowed()),
        };
        _logger.ObjectWritten(request.Method, type.GroupResource, route.Namespace ?? "", route.Name ?? "", result.Code, dryRun);
        if (CustomResourceDefinitions.IsDefinition(type) && !dryRun && result.Code is 200 or 201)
        {
            result = Define(route, request.Method, result);
        }

        return result;
    }

    /// <summary>After a CRD write: serve (or stop serving) what it defines, and answer with the established CRD.</summary>
    private (int Code, JsonObject Body) Define(ApiRoute route, string method, (int Code, JsonObject Body) result)
    {
        if (method == "DELETE")
        {
            var deleted = route.Kind == RouteKind.Item
                ? [route.Name!]
                : (result.Body["items"] as JsonArray ?? []).Select(i => i!["metadata"]!["name"]!.GetValue<string>()).ToList();
            foreach (var name in deleted)
            {
                _definitions.Removed(name);
                _logger.DefinitionRemoved(name);
            }

            return result;
        }

        if (route.Subresource == "status")
        {
            return result;
        }

        _definitions.Established(result.Body);
        var established = _store.Find(route.Type!, null, result.Body["metadata"]!["name"]!.GetValue<string>());
        _logger.DefinitionEstablished(result.Body["metadata"]!["name"]!.GetValue<string>(), string.Join(", ", CustomResourceDefinitions.Types(result.Body).Select(t => t.ApiVersion + "/" + t.Kind)));
        return established is null ? result : (result.Code, Present(route.Type!, established.Object));
    }

    private (int Code, JsonObject Body) Create(ResourceType type, string? @namespace, JsonNode? body, bool dryRun, bool strict)
    {
        if (body is not JsonObject obj)
        {
            return Answer(ApiStatus.BadRequest($"the body of a create must be a {type.Kind} object"));
        }

        if (Normalize(type, @namespace, obj, out var metadata) is { } invalid)
        {
            return Answer(invalid);
        }

        if (metadata["resourceVersion"]?.GetValue<string>() is { Length: > 0 })
        {
            return Answer(ApiStatus.BadRequest("resourceVersion should not be set on objects to be created"));
        }

        var name = metadata["name"]?.GetValue<string>() ?? "";
        if (name.Length == 0 && metadata["generateName"]?.GetValue<string>() is { Length: > 0 } prefix)
        {
            name = prefix + string.Concat(Enumerable.Range(0, 5).Select(_ => GenerateNameAlphabet[Random.Shared.Next(GenerateNameAlphabet.Length)]));
            metadata["name"] = name;
        }

        if (Validate(type, obj, strict, WriteTarget.Main) is { } validation)
        {
            return Answer(validation);
        }

        if (HasStatusSubresource(type))
        {
            // Like the apiserver's PrepareForCreate: status is the controllers' business, not the creator's.
            obj.Remove("status");
            if (type.Kind == "Pod" && type.Group.Length == 0)
            {
                obj["status"] = new JsonObject { ["phase"] = "Pending" };
            }
        }

        metadata.Remove("managedFields");
        var storage = StorageType(type);
        var stored = ToStorage(type, obj);
        var result = _store.Mutate(storage, Namespace(type, metadata), name, _options.TimeProvider.GetUtcNow(), dryRun, current =>
            current is null ? StoreMutation.Write(stored) : StoreMutation.Fail(ApiStatus.AlreadyExists(type, name)));
        return result.Failure is { } failure ? Answer(failure) : (201, Present(type, result.Object!));
    }

    private (int Code, JsonObject Body) Update(ResourceType type, string? @namespace, string name, JsonNode? body, bool dryRun, WriteTarget target, bool strict)
    {
        if (body is not JsonObject obj)
        {
            return Answer(ApiStatus.BadRequest($"the body of an update must be a {type.Kind} object"));
        }

        if (Normalize(type, @namespace, obj, out var metadata) is { } invalid)
        {
            return Answer(invalid);
        }

        if (metadata["name"]?.GetValue<string>() != name)
        {
            return Answer(ApiStatus.BadRequest($"the name of the object ({metadata["name"]?.GetValue<string>()}) does not match the name on the URL ({name})"));
        }

        if (Validate(type, obj, strict, target) is { } validation)
        {
            return Answer(validation);
        }

        return Write(type, name, Namespace(type, metadata), dryRun, current => Merge(type, current, obj, target));
    }

    private (int Code, JsonObject Body) Patch(ResourceType type, string? @namespace, string name, string? contentType, string fieldManager, JsonNode? patch, bool dryRun, WriteTarget target, bool strict)
    {
        var mediaType = (contentType ?? "").Split(';')[0].Trim();
        var custom = !IsBuiltIn(type);
        Func<JsonNode?, JsonNode?, JsonNode?>? apply = mediaType switch
        {
            MergePatchType => MergePatch.Apply,
            JsonPatchType => JsonPatch.Apply,
            StrategicMergePatchType when !custom => StrategicMergePatch.Apply,
            ApplyPatchType => StrategicMergePatch.Apply,
            _ => null,
        };
        if (apply is null)
        {
            var accepted = custom
                ? $"{JsonPatchType}, {MergePatchType}, {ApplyPatchType}"
                : $"{JsonPatchType}, {MergePatchType}, {ApplyPatchType}, {StrategicMergePatchType}";
            return Answer(ApiStatus.Failure(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: {accepted}"));
        }

        var serverSideApply = mediaType == ApplyPatchType;
        if (serverSideApply)
        {
            if (fieldManager.Length == 0)
            {
                return Answer(ApiStatus.Invalid("PatchOptions", "meta.k8s.io", "", [("fieldManager", "Required value: is required for apply patch")]));
            }

            if (patch is not JsonObject applied || applied["metadata"]?["name"]?.GetValue<string>() != name)
            {
                return Answer(ApiStatus.BadRequest($"an apply patch must be a {type.Kind} object named {name}"));
            }

            if (applied["metadata"] is JsonObject appliedMetadata)
            {
                appliedMetadata.Remove("managedFields");
            }
        }

        var created = false;
        var result = Write(type, name, type.Namespaced ? @namespace : null, dryRun, current =>
        {
            if (current is null)
            {
                if (!serverSideApply || target != WriteTarget.Main)
                {
                    return StoreMutation.Fail(ApiStatus.NotFound(type, name));
                }

                var fresh = patch!.DeepClone().AsObject();
                if ((Normalize(type, @namespace, fresh, out _) ?? Validate(type, fresh, strict, target)) is { } invalid)
                {
                    return StoreMutation.Fail(invalid);
                }

                created = true;
                if (HasStatusSubresource(type))
                {
                    fresh.Remove("status");
                }

                return StoreMutation.Write(ToStorage(type, fresh));
            }

            JsonNode? patched;
            try
            {
                patched = apply(Present(type, current.Object), patch);
            }
            catch (PatchException ex)
            {
                return StoreMutation.Fail(ex.Code == 422 ? ApiStatus.Failure(422, "Invalid", ex.Message) : ApiStatus.BadRequest(ex.Message));
            }

            if (patched is not JsonObject obj || obj["metadata"] is not JsonObject metadata)
            {
                return StoreMutation.Fail(ApiStatus.BadRequest("the patch does not leave an object with metadata"));
            }

            if (metadata["name"]?.GetValue<string>() != name)
            {
                return StoreMutation.Fail(ApiStatus.BadRequest($"the name of the object ({metadata["name"]?.GetValue<string>()}) does not match the name on the URL ({name})"));
            }

            if ((Normalize(type, @namespace, obj, out _) ?? Validate(type, obj, strict, target)) is { } invalidPatched)
            {
                return StoreMutation.Fail(invalidPatched);
            }

            return Merge(type, current, obj, target);
        });
        return created && result.Code == 200 ? (201, result.Body) : result;
    }

    private (int Code, JsonObject Body) Scale(ResourceType type, string? @namespace, string name, string method, string? contentType, JsonNode? body, bool dryRun)
    {
        if (!type.Subresources.Contains("scale"))
        {
            return Answer(ApiStatus.PathNotFound());
        }

        if (method == "GET")
        {
            return _store.Find(StorageType(type), @namespace, name) is { } stored ? (200, ScaleOf(stored.Object)) : Answer(ApiStatus.NotFound(type, name));
        }

        var result = Write(type, name, @namespace, dryRun, current =>
        {
            if (current is null)
            {
                return StoreMutation.Fail(ApiStatus.NotFound(type, name));
            }

            JsonObject scale;
            if (method == "PUT")
            {
                if (body is not JsonObject put)
                {
                    return StoreMutation.Fail(ApiStatus.BadRequest("the body of a scale update must be a Scale object"));
                }

                scale = put;
            }
            else
            {
                var mediaType = (contentType ?? "").Split(';')[0].Trim();
                try
                {
                    var patched = mediaType switch
                    {
                        MergePatchType => MergePatch.Apply(ScaleOf(current.Object), body),
                        JsonPatchType => JsonPatch.Apply(ScaleOf(current.Object), body),
                        StrategicMergePatchType => StrategicMergePatch.Apply(ScaleOf(current.Object), body),
                        _ => null,
                    };
                    if (patched is not JsonObject patchedScale)
                    {
                        return StoreMutation.Fail(ApiStatus.Failure(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: {JsonPatchType}, {MergePatchType}, {StrategicMergePatchType}"));
                    }

                    scale = patchedScale;
                }
                catch (PatchException ex)
                {
                    return StoreMutation.Fail(ex.Code == 422 ? ApiStatus.Failure(422, "Invalid", ex.Message) : ApiStatus.BadRequest(ex.Message));
                }
            }

            if (scale["metadata"]?["resourceVersion"]?.GetValue<string>() is { Length: > 0 } rv && rv != current.ResourceVersion.ToString(CultureInfo.InvariantCulture))
            {
                return StoreMutation.Fail(ApiStatus.Conflict(type, name));
            }

            if (scale["spec"]?["replicas"] is not JsonValue replicasNode || !replicasNode.TryGetValue<int>(out var replicas) || replicas < 0)
            {
                return StoreMutation.Fail(ApiStatus.Invalid("Scale", "autoscaling", name, [("spec.replicas", $"Invalid value: {scale["spec"]?["replicas"]?.ToJsonString() ?? "null"}: must be greater than or equal to 0")]));
            }

            var updated = current.Object.DeepClone().AsObject();
            if (updated["spec"] is not JsonObject spec)
            {
                updated["spec"] = spec = new JsonObject();
            }

            spec["replicas"] = replicas;
            return StoreMutation.Write(updated);
        });
        return result.Code == 200 ? (200, ScaleOf(result.Body)) : result;
    }

    private (int Code, JsonObject Body) Delete(ResourceType type, string? @namespace, string name, (JsonObject? Options, JsonObject? Error) options, bool dryRun)
    {
        if (options.Error is { } error)
        {
            return Answer(error);
        }

        dryRun |= options.Options?["dryRun"] is JsonArray dryRunValues && dryRunValues.Any(v => v?.GetValue<string>() == "All");
        var propagation = options.Options?["propagationPolicy"]?.GetValue<string>() ?? "Background";
        if (propagation is not ("Orphan" or "Background" or "Foreground"))
        {
            return Answer(ApiStatus.BadRequest($"propagationPolicy: Unsupported value: \"{propagation}\": supported values: \"Foreground\", \"Background\", \"Orphan\""));
        }

        var preconditions = options.Options?["preconditions"] as JsonObject;
        JsonObject? Check(StoredObject current)
        {
            if (preconditions?["uid"]?.GetValue<string>() is { Length: > 0 } uid && uid != current.Metadata["uid"]?.GetValue<string>())
            {
                return ApiStatus.Conflict(type, name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {current.Metadata["uid"]}");
            }

            if (preconditions?["resourceVersion"]?.GetValue<string>() is { Length: > 0 } rv && rv != current.ResourceVersion.ToString(CultureInfo.InvariantCulture))
            {
                return ApiStatus.Conflict(type, name, $"Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {current.ResourceVersion}");
            }

            return null;
        }

        var storage = StorageType(type);
        var isNamespace = type.Kind == "Namespace" && type.Group.Length == 0;
        if (isNamespace && !dryRun)
        {
            // Check first, then delete the contents (what the namespace controller does), then the namespace.
            var check = _store.Remove(storage, @namespace, name, dryRun: true, Check);
            if (check is null)
            {
                return Answer(ApiStatus.NotFound(type, name));
            }

            if (check.Failure is { } failed)
            {
                return Answer(failed);
            }

            foreach (var contained in _store.InNamespace(name))
            {
                _store.Remove(contained.Type, contained.Namespace, contained.Name);
            }
        }

        var result = _store.Remove(storage, @namespace, name, dryRun, Check);
        if (result is null)
        {
            return Answer(ApiStatus.NotFound(type, name));
        }

        if (result.Failure is { } failure)
        {
            return Answer(failure);
        }

        var uid = result.Previous!.Metadata["uid"]?.GetValue<string>() ?? "";
        if (!dryRun && propagation != "Orphan" && uid.Length > 0)
        {
            CollectGarbage(uid);
        }

        // The apiserver returns the object for pods (ReturnDeletedObject) and a Success Status for most other kinds.
        return type.Kind == "Pod" && type.Group.Length == 0
            ? (200, Present(type, result.Object!))
            : (200, ApiStatus.Success(type, name, uid));
    }

    private (int Code, JsonObject Body) DeleteCollection(HttpContext context, ResourceType type, string? @namespace, JsonNode? body, bool dryRun)
    {
        var options = DeleteOptions(context, body);
        LabelSelector labels;
        FieldSelector fields;
        try
        {
            labels = LabelSelector.Parse(context.Request.Query["labelSelector"]);
            fields = FieldSelector.Parse(context.Request.Query["fieldSelector"], type);
        }
        catch (FormatException ex)
        {
            return Answer(ApiStatus.BadRequest(ex.Message));
        }

        var (_, items, _) = _store.List(StorageType(type), type.Namespaced ? @namespace : null, o => labels.Matches(o.Labels) && fields.Matches(o.Object), null, int.MaxValue);
        var deleted = new JsonArray();
        foreach (var item in items)
        {
            var (code, answer) = Delete(type, item.Namespace, item.Name, options, dryRun);
            if (code == 200)
            {
                deleted.Add(Present(type, item.Object));
            }
            else if (code != 404)
            {
                return (code, answer);
            }
        }

        return (200, new JsonObject
        {
            ["kind"] = type.ListKind,
            ["apiVersion"] = type.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = _store.ResourceVersion.ToString(CultureInfo.InvariantCulture) },
            ["items"] = deleted,
        });
    }

    /// <summary>The garbage collector's part of a background or foreground delete: every dependent, transitively.</summary>
    private void CollectGarbage(string uid)
    {
        var pending = new Queue<string>([uid]);
        while (pending.TryDequeue(out var owner))
        {
            foreach (var dependent in _store.Dependents(owner))
            {
                if (_store.Remove(dependent.Type, dependent.Namespace, dependent.Name) is not null && dependent.Metadata["uid"]?.GetValue<string>() is { } dependentUid)
                {
                    pending.Enqueue(dependentUid);
                }
            }
        }
    }

    /// <summary>Runs a read-modify-write against the store and answers 200 with what was stored.</summary>
    private (int Code, JsonObject Body) Write(ResourceType type, string name, string? @namespace, bool dryRun, Func<StoredObject?, StoreMutation> mutate)
    {
        var result = _store.Mutate(StorageType(type), @namespace, name, _options.TimeProvider.GetUtcNow(), dryRun, mutate);
        return result.Failure is { } failure ? Answer(failure) : (200, Present(type, result.Object!));
    }

    /// <summary>
    /// The object an update of <paramref name="target"/> stores: the request's object for the main resource
    /// (status kept from the stored object when the kind has a status subresource), or the stored object with
    /// the request's status for the status subresource. A resourceVersion or uid in the request that is not the
    /// stored one is a 409 Conflict.
    /// </summary>
    private static StoreMutation Merge(ResourceType type, StoredObject? current, JsonObject requested, WriteTarget target)
    {
        var name = requested["metadata"]!["name"]!.GetValue<string>();
        if (current is null)
        {
            return StoreMutation.Fail(ApiStatus.NotFound(type, name));
        }

        var metadata = (JsonObject)requested["metadata"]!;
        if (metadata["resourceVersion"]?.GetValue<string>() is { Length: > 0 } rv && rv != current.ResourceVersion.ToString(CultureInfo.InvariantCulture))
        {
            return StoreMutation.Fail(ApiStatus.Conflict(type, name));
        }

        if (metadata["uid"]?.GetValue<string>() is { Length: > 0 } uid && uid != current.Metadata["uid"]?.GetValue<string>())
        {
            return StoreMutation.Fail(ApiStatus.Conflict(type, name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {current.Metadata["uid"]}"));
        }

        var requestedStorage = ToStorage(type, requested);
        JsonObject next;
        if (target == WriteTarget.Status)
        {
            next = current.Object.DeepClone().AsObject();
            next["status"] = requestedStorage["status"]?.DeepClone();
        }
        else
        {
            next = requestedStorage;
            ((JsonObject)next["metadata"]!).Remove("managedFields");
            if (HasStatusSubresource(type))
            {
                next["status"] = current.Object["status"]?.DeepClone();
            }
        }

        if (next["status"] is null)
        {
            next.Remove("status");
        }

        return StoreMutation.Write(next);
    }

    /// <summary>Checks apiVersion/kind and namespace against the URL and fills them in when absent; a Status when they disagree.</summary>
    private static JsonObject? Normalize(ResourceType type, string? @namespace, JsonObject obj, out JsonObject metadata)
    {
        if (obj["metadata"] is not JsonObject m)
        {
            obj["metadata"] = m = new JsonObject();
        }

        metadata = m;
        if (obj["apiVersion"]?.GetValue<string>() is { Length: > 0 } apiVersion && apiVersion != type.ApiVersion)
        {
            return ApiStatus.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({type.ApiVersion})");
        }

        if (obj["kind"]?.GetValue<string>() is { Length: > 0 } kind && kind != type.Kind)
        {
            return ApiStatus.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({type.Kind})");
        }

        obj["apiVersion"] = type.ApiVersion;
        obj["kind"] = type.Kind;
        var bodyNamespace = metadata["namespace"]?.GetValue<string>() ?? "";
        if (type.Namespaced)
        {
            if (bodyNamespace.Length > 0 && @namespace is not null && bodyNamespace != @namespace)
            {
                return ApiStatus.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }

            metadata["namespace"] = bodyNamespace.Length > 0 ? bodyNamespace : @namespace ?? "default";
        }
        else
        {
            metadata.Remove("namespace");
        }

        return null;
    }

    /// <summary>
    /// What the simulator validates: the name (an RFC 1123 subdomain), non-negative integer replicas, a
    /// CustomResourceDefinition as the apiextensions apiserver does, and a custom resource against its schema (unknown
    /// fields pruned, or refused when <paramref name="strict"/>). A status write checks the status against the schema.
    /// </summary>
    private JsonObject? Validate(ResourceType type, JsonObject obj, bool strict, WriteTarget target)
    {
        if (type.Schema is { } schema)
        {
            // The status of a write to the main resource is replaced by the stored one: not the writer's to validate.
            var status = target == WriteTarget.Main && HasStatusSubresource(type) ? obj["status"] : null;
            if (status is not null)
            {
                obj.Remove("status");
            }

            var (schemaCauses, unknown) = StructuralSchema.Validate(schema, obj);
            if (status is not null)
            {
                obj["status"] = status;
            }

            if (strict && unknown.Count > 0)
            {
                return ApiStatus.BadRequest($"{type.Kind} in version \"{type.Version}\" cannot be handled as a {type.Kind}: strict decoding error: {string.Join(", ", unknown.Select(u => $"unknown field \"{u}\""))}");
            }

            if (schemaCauses.Count > 0)
            {
                return ApiStatus.Invalid(type.Kind, type.Group, obj["metadata"]?["name"]?.GetValue<string>() ?? "", schemaCauses);
            }
        }

        if (CustomResourceDefinitions.IsDefinition(type) && target == WriteTarget.Main && _definitions.Validate(obj) is { Count: > 0 } definitionCauses)
        {
            return ApiStatus.Invalid(type.Kind, type.Group, obj["metadata"]?["name"]?.GetValue<string>() ?? "", definitionCauses);
        }

        var name = obj["metadata"]?["name"]?.GetValue<string>() ?? "";
        var causes = new List<(string Field, string Message)>();
        if (name.Length == 0)
        {
            causes.Add(("metadata.name", "Required value: name or generateName is required"));
        }
        else if (name.Length > 253 || !DnsSubdomain().IsMatch(name))
        {
            causes.Add(("metadata.name", $"Invalid value: \"{name}\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"));
        }

        if (type.Schema is null && obj["spec"]?["replicas"] is { } replicas && (replicas is not JsonValue value || !TryGetWholeNumber(value, out var n) || n < 0))
        {
            causes.Add(("spec.replicas", $"Invalid value: {replicas.ToJsonString()}: must be greater than or equal to 0"));
        }

        return causes.Count == 0 ? null : ApiStatus.Invalid(type.Kind, type.Group, name, causes);
    }

    private static (JsonObject? Options, JsonObject? Error) DeleteOptions(HttpContext context, JsonNode? body)
    {
        var options = body as JsonObject ?? new JsonObject();
        if (context.Request.Query["propagationPolicy"].ToString() is { Length: > 0 } policy)
        {
            options["propagationPolicy"] = policy;
        }

        if (options["gracePeriodSeconds"] is { } grace && (grace is not JsonValue value || !TryGetWholeNumber(value, out var seconds) || seconds < 0))
        {
            return (null, ApiStatus.BadRequest($"gracePeriodSeconds: Invalid value: {grace.ToJsonString()}: must be >= 0"));
        }

        return (options, null);
    }

    private static bool TryDryRun(Microsoft.Extensions.Primitives.StringValues values, out bool dryRun, out JsonObject error)
    {
        dryRun = false;
        error = new JsonObject();
        foreach (var value in values)
        {
            if (value != "All")
            {
                error = ApiStatus.BadRequest($"dryRun: Unsupported value: \"{value}\": supported values: \"All\"");
                return false;
            }

            dryRun = true;
        }

        return true;
    }

    private static JsonObject ScaleOf(JsonObject obj)
    {
        var metadata = (JsonObject)obj["metadata"]!;
        var scaleMetadata = new JsonObject();
        foreach (var field in new[] { "name", "namespace", "uid", "resourceVersion", "creationTimestamp" })
        {
            if (metadata[field] is { } value)
            {
                scaleMetadata[field] = value.DeepClone();
            }
        }

        var selector = obj["spec"]?["selector"]?["matchLabels"] is JsonObject matchLabels
            ? string.Join(',', matchLabels.Select(kv => $"{kv.Key}={kv.Value?.GetValue<string>()}"))
            : "";
        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = scaleMetadata,
            ["spec"] = new JsonObject { ["replicas"] = obj["spec"]?["replicas"]?.DeepClone() ?? 1 },
            ["status"] = new JsonObject { ["replicas"] = obj["status"]?["replicas"]?.DeepClone() ?? 0, ["selector"] = selector },
        };
    }

    private static (int Code, JsonObject Body) Answer(JsonObject status) => (status["code"]!.GetValue<int>(), status);

    private static string? Namespace(ResourceType type, JsonObject metadata) => type.Namespaced ? metadata["namespace"]?.GetValue<string>() : null;

    private static bool HasStatusSubresource(ResourceType type) => type.Subresources.Contains("status");

    private static bool IsBuiltIn(ResourceType type) => BuiltInResources.All.Any(b => b.GroupResource == type.GroupResource);

    private ResourceType StorageType(ResourceType type) =>
        type.EffectiveStorageKey == type.GroupResource ? type : _catalog.GetByKind("v1", type.Kind);

    private static JsonObject ToStorage(ResourceType type, JsonObject obj) =>
        EventConversion.IsEventsGroup(type) ? EventConversion.ToCore(obj) : obj;

    private static JsonObject Present(ResourceType type, JsonObject stored) =>
        EventConversion.IsEventsGroup(type) ? EventConversion.ToEventsV1(stored, type.ApiVersion) : stored.DeepClone().AsObject();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();

    private enum WriteTarget
    {
        Main,
        Status,
    }

    // A number parsed from a request is a JsonElement (any width); one set from code (Apply(obj) with obj["spec"]["replicas"] = 2)
    // keeps its CLR type, and TryGetValue<long> does not widen an int.
    private static bool TryGetWholeNumber(JsonValue value, out long number)
    {
        if (value.TryGetValue(out number))
        {
            return true;
        }

        if (value.TryGetValue<int>(out var small))
        {
            number = small;
            return true;
        }

        return false;
    }
}
