{{/* Names */}}
{{- define "chasi.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "chasi.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* <fullname>-<component>, within 63 characters. Args: (dict "root" $ "component" "ingest") */}}
{{- define "chasi.componentName" -}}
{{- printf "%s-%s" (include "chasi.fullname" .root | trunc (int (sub 62 (len .component))) | trimSuffix "-") .component -}}
{{- end -}}

{{- define "chasi.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "chasi.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: chasi-sre
{{- end -}}

{{/* Args: (dict "root" $ "component" "ingest") */}}
{{- define "chasi.componentLabels" -}}
{{ include "chasi.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "chasi.selectorLabels" -}}
app.kubernetes.io/name: {{ include "chasi.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "chasi.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* The workloads this release runs, as a list of component names (the unit of everything below). */}}
{{- define "chasi.workloads" -}}
{{- $w := list -}}
{{- if .Values.embedded -}}
{{- $w = list "embedded" -}}
{{- else if eq .Values.mode "distributed" -}}
{{- $w = list "ingest" -}}
{{- else -}}
{{- range $c := list "ingest" "gateway" "streams" "sink" "diagnosis" "api" "executor" -}}
{{- if (index $.Values $c).enabled -}}{{- $w = append $w $c -}}{{- end -}}
{{- end -}}
{{- end -}}
{{- toJson $w -}}
{{- end -}}

{{/* The `chasi run --components` list of a workload. Args: (dict "root" $ "component" "diagnosis") */}}
{{- define "chasi.components" -}}
{{- if eq .component "diagnosis" -}}diagnosis,knowledge
{{- else if eq .component "embedded" -}}ingest,gateway,streams,sink,diagnosis,knowledge,api{{ if .root.Values.executor.enabled }},executor{{ end }}
{{- else -}}{{ .component }}{{- end -}}
{{- end -}}

{{/* Whether a workload talks to the Kubernetes API of its own cluster (and so gets a token and RBAC). Args: as above. */}}
{{- define "chasi.needsKubeApi" -}}
{{- if or (has .component (list "ingest" "gateway" "embedded")) (and (eq .component "executor") .root.Values.executor.inCluster) -}}true{{- end -}}
{{- end -}}

{{/* Whether a workload runs the executor. Args: as above. */}}
{{- define "chasi.runsExecutor" -}}
{{- if or (eq .component "executor") (and (eq .component "embedded") .root.Values.executor.enabled) -}}true{{- end -}}
{{- end -}}

{{/* The executor's policy ConfigMap and key, as JSON {"name","key"}, or {} for the built-in default policy. */}}
{{- define "chasi.executorPolicy" -}}
{{- $e := .Values.executor -}}
{{- if $e.policy -}}
{{- toJson (dict "name" (include "chasi.componentName" (dict "root" . "component" "executor-policy")) "key" "policy.yaml") -}}
{{- else if $e.policyConfigMap.name -}}
{{- toJson (dict "name" $e.policyConfigMap.name "key" $e.policyConfigMap.key) -}}
{{- else -}}
{}
{{- end -}}
{{- end -}}

{{/* The executor's volumeMounts (policy, kubeconfig, adapter tokens), as YAML list items. Outside /etc/chasi: a mount
   nested in another read-only ConfigMap mount fails on some runtimes (Kata). */}}
{{- define "chasi.executorVolumeMounts" -}}
{{- $e := .Values.executor -}}
{{- if (include "chasi.executorPolicy" . | fromJson).name }}
- name: executor-policy
  mountPath: /etc/chasi-executor/policy
  readOnly: true
{{- end }}
{{- if $e.kubeconfigSecret.name }}
- name: executor-kubeconfig
  mountPath: /etc/chasi-executor/kubeconfig
  readOnly: true
{{- end }}
{{- $i := 0 }}
{{- range $key, $adapter := $e.adapters }}
{{- if and $adapter.tokenSecret $adapter.tokenSecret.name }}
- name: {{ printf "adapter-token-%d" $i }}
  mountPath: {{ printf "/etc/chasi-executor/adapter-tokens/%d" $i }}
  readOnly: true
{{- end }}
{{- $i = add1 $i }}
{{- end }}
{{- end -}}

{{/* The executor's volumes, as YAML list items. No subPath anywhere: a ConfigMap update must reach the mounted file. */}}
{{- define "chasi.executorVolumes" -}}
{{- $e := .Values.executor -}}
{{- $policy := include "chasi.executorPolicy" . | fromJson }}
{{- if $policy.name }}
- name: executor-policy
  configMap:
    name: {{ $policy.name }}
    # Optional: the operator writes the key when an ActionPolicy is valid, and removes it when the policy is deleted
    # (the executor then falls back to the default policy); the executor refuses to start while it is missing.
    optional: true
    items:
      - key: {{ $policy.key }}
        path: {{ $policy.key }}
{{- end }}
{{- if $e.kubeconfigSecret.name }}
- name: executor-kubeconfig
  secret:
    secretName: {{ $e.kubeconfigSecret.name }}
    items:
      - key: {{ $e.kubeconfigSecret.key }}
        path: {{ $e.kubeconfigSecret.key }}
{{- end }}
{{- $i := 0 }}
{{- range $key, $adapter := $e.adapters }}
{{- if and $adapter.tokenSecret $adapter.tokenSecret.name }}
- name: {{ printf "adapter-token-%d" $i }}
  secret:
    secretName: {{ $adapter.tokenSecret.name }}
    items:
      - key: {{ $adapter.tokenSecret.key }}
        path: {{ $adapter.tokenSecret.key }}
{{- end }}
{{- $i = add1 $i }}
{{- end }}
{{- end -}}

{{/* The executor's ClusterRole rules: exactly ChasiSre.Executor.ExecutorCatalog.Permissions (a test compares them). */}}
{{- define "chasi.executorRules" -}}
- apiGroups: [""]
  resources: [pods]
  verbs: [get, delete]
- apiGroups: [""]
  resources: [configmaps]
  verbs: [get, patch]
- apiGroups: [""]
  resources: [nodes]
  verbs: [get, patch]
- apiGroups: [""]
  resources: [events]
  verbs: [create]
- apiGroups: [apps]
  resources: [deployments, statefulsets, daemonsets]
  verbs: [get, patch]
- apiGroups: [apps]
  resources: [deployments/scale, statefulsets/scale]
  verbs: [get, patch]
- apiGroups: [batch]
  resources: [jobs]
  verbs: [get, create, delete]
- apiGroups: [batch]
  resources: [cronjobs]
  verbs: [get, patch]
{{- end -}}

{{/* Where a component's settings live in values. */}}
{{- define "chasi.componentValues" -}}
{{- if eq .component "embedded" -}}{{- toJson .root.Values.embeddedPod -}}{{- else -}}{{- toJson (index .root.Values .component) -}}{{- end -}}
{{- end -}}

{{/* appsettings.json: every section the pipeline reads, non-secret values only. */}}
{{- define "chasi.appsettings" -}}
{{- $v := .Values -}}
{{- $settings := dict -}}
{{- if not $v.embedded -}}
{{- $props := dict "security.protocol" $v.kafka.securityProtocol -}}
{{- if hasPrefix "SASL" $v.kafka.securityProtocol -}}
{{- $_ := set $props "sasl.mechanism" $v.kafka.sasl.mechanism -}}
{{- $_ := set $props "sasl.username" $v.kafka.sasl.username -}}
{{- end -}}
{{- if $v.kafka.tls.caSecret.name -}}
{{- $_ := set $props "ssl.ca.location" (printf "/etc/chasi/kafka-ca/%s" $v.kafka.tls.caSecret.key) -}}
{{- end -}}
{{- $props = merge $props $v.kafka.properties -}}
{{- $_ := set $settings "Kafka" (dict "BootstrapServers" $v.kafka.bootstrapServers "ClientId" $v.kafka.clientId "SecurityProtocol" $v.kafka.securityProtocol "Properties" $props) -}}
{{- end -}}
{{- if and (not $v.embedded) (ne $v.mode "distributed") -}}
{{- $scheme := ternary "https" "http" $v.clickhouse.secure -}}
{{- $_ := set $settings "ClickHouse" (dict "Backend" "Server" "Endpoint" (printf "%s://%s:%d" $scheme $v.clickhouse.host (int $v.clickhouse.port)) "Database" $v.clickhouse.database "Username" $v.clickhouse.username) -}}
{{- end -}}
{{- if eq $v.mode "distributed" -}}
{{- $_ := set $settings "Ingest" (dict "Mode" "Distributed" "ClusterName" $v.cluster.name "Tenant" (default $v.cluster.name $v.distributed.tenant) "HostCluster" $v.distributed.hostCluster "HostNamespace" $v.distributed.hostNamespace "DiscoverVClusters" false "IncludeConfigMapData" $v.ingest.includeConfigMapData) -}}
{{- else -}}
{{- $_ := set $settings "Ingest" (dict "Mode" "Centralized" "ClusterName" $v.cluster.name "DiscoverVClusters" $v.ingest.discoverVClusters "VClusterEndpointTemplate" $v.ingest.vclusterEndpointTemplate "TenantNamespacePattern" $v.cluster.tenantNamespacePattern "IncludeConfigMapData" $v.ingest.includeConfigMapData) -}}
{{- $_ := set $settings "Gateway" (dict "ClusterName" $v.cluster.name "TenantNamespacePattern" $v.cluster.tenantNamespacePattern) -}}
{{- $_ := set $settings "Streams" (dict "ApplicationId" $v.streams.applicationId "Partitions" (int $v.streams.partitions) "Threads" (int $v.streams.threads) "StateDirectory" "/var/lib/chasi/streams") -}}
{{- $llm := dict "Provider" $v.llm.provider -}}
{{- if $v.llm.endpoint -}}{{- $_ := set $llm "Endpoint" $v.llm.endpoint -}}{{- end -}}
{{- if $v.llm.model -}}{{- $_ := set $llm "Model" $v.llm.model -}}{{- end -}}
{{- if $v.llm.modelPath -}}{{- $_ := set $llm "ModelPath" $v.llm.modelPath -}}{{- end -}}
{{- $knowledge := dict "DataDirectory" "/var/lib/chasi/knowledge" "VectorStore" (ternary "Qdrant" "Embedded" (not (empty $v.qdrant.endpoint))) -}}
{{- if $v.qdrant.endpoint -}}
{{- $_ := set $knowledge "QdrantEndpoint" $v.qdrant.endpoint -}}
{{- $_ := set $knowledge "QdrantCollection" $v.qdrant.collection -}}
{{- end -}}
{{- $_ := set $settings "Diagnosis" (dict "Llm" $llm "Knowledge" $knowledge) -}}
{{- $_ := set $settings "Api" (dict "MaxRequestBodyBytes" (int64 $v.api.maxRequestBodyBytes) "Alertmanager" (dict "DefaultCluster" $v.cluster.name)) -}}
{{- if $v.executor.enabled -}}
{{- $e := $v.executor -}}
{{- $executor := dict "PolicyReloadInterval" $e.policyReloadInterval "VerificationWindow" $e.verificationWindow -}}
{{- $policy := include "chasi.executorPolicy" . | fromJson -}}
{{- if $policy.name -}}{{- $_ := set $executor "PolicyFile" (printf "/etc/chasi-executor/policy/%s" $policy.key) -}}{{- end -}}
{{- if $e.inCluster -}}{{- $_ := set $executor "InCluster" $v.cluster.name -}}{{- end -}}
{{- if $e.kubeconfigSecret.name -}}
{{- $_ := set $executor "Kubeconfig" (printf "/etc/chasi-executor/kubeconfig/%s" $e.kubeconfigSecret.key) -}}
{{- $_ := set $executor "Clusters" $e.clusters -}}
{{- end -}}
{{- if $e.adapters -}}
{{- $adapters := dict -}}
{{- $i := 0 -}}
{{- range $key, $adapter := $e.adapters -}}
{{- $a := dict "Url" $adapter.url -}}
{{- if and $adapter.tokenSecret $adapter.tokenSecret.name -}}{{- $_ := set $a "TokenFile" (printf "/etc/chasi-executor/adapter-tokens/%d/%s" $i $adapter.tokenSecret.key) -}}{{- end -}}
{{- $_ := set $adapters $key $a -}}
{{- $i = add1 $i -}}
{{- end -}}
{{- $_ := set $executor "Adapters" $adapters -}}
{{- end -}}
{{- $_ := set $settings "Executor" $executor -}}
{{- end -}}
{{- end -}}
{{- toPrettyJson $settings -}}
{{- end -}}

{{/* Secrets as Section__Key environment variables, for the workload in .component. */}}
{{- define "chasi.secretEnv" -}}
{{- $v := .root.Values -}}
{{- $c := .component -}}
{{- if and (not $v.embedded) $v.kafka.sasl.passwordSecret.name (hasPrefix "SASL" $v.kafka.securityProtocol) }}
- name: Kafka__Properties__sasl.password
  valueFrom:
    secretKeyRef:
      name: {{ $v.kafka.sasl.passwordSecret.name }}
      key: {{ $v.kafka.sasl.passwordSecret.key }}
{{- end }}
{{- if and (not $v.embedded) (has $c (list "sink" "diagnosis" "api")) }}
{{- $scheme := ternary "https" "http" $v.clickhouse.secure }}
{{- if $v.clickhouse.passwordSecret.name }}
- name: ClickHouse__Password
  valueFrom:
    secretKeyRef:
      name: {{ $v.clickhouse.passwordSecret.name }}
      key: {{ $v.clickhouse.passwordSecret.key }}
- name: ClickHouse__ServerConnectionString
  value: {{ printf "Host=%s;Port=%d;Protocol=%s;Username=%s;Password=$(ClickHouse__Password);Database=%s" $v.clickhouse.host (int $v.clickhouse.port) $scheme $v.clickhouse.username $v.clickhouse.database | quote }}
{{- else }}
- name: ClickHouse__ServerConnectionString
  value: {{ printf "Host=%s;Port=%d;Protocol=%s;Username=%s;Database=%s" $v.clickhouse.host (int $v.clickhouse.port) $scheme $v.clickhouse.username $v.clickhouse.database | quote }}
{{- end }}
{{- end }}
{{- if and (has $c (list "diagnosis" "embedded")) $v.llm.apiKeySecret.name }}
- name: Diagnosis__Llm__ApiKey
  valueFrom:
    secretKeyRef:
      name: {{ $v.llm.apiKeySecret.name }}
      key: {{ $v.llm.apiKeySecret.key }}
{{- end }}
{{- if and (has $c (list "diagnosis" "api" "embedded")) $v.qdrant.endpoint $v.qdrant.apiKeySecret.name }}
- name: Diagnosis__Knowledge__QdrantApiKey
  valueFrom:
    secretKeyRef:
      name: {{ $v.qdrant.apiKeySecret.name }}
      key: {{ $v.qdrant.apiKeySecret.key }}
{{- end }}
{{- end -}}

{{/* The API token Secret name, or empty when no tokens are configured. */}}
{{- define "chasi.apiTokensSecret" -}}
{{- if .Values.api.existingTokensSecret -}}
{{- .Values.api.existingTokensSecret -}}
{{- else if .Values.api.tokens -}}
{{- include "chasi.componentName" (dict "root" . "component" "api-tokens") -}}
{{- end -}}
{{- end -}}
