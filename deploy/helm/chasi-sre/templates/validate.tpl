{{/* Combinations the schema cannot express; fails the render with the reason. */}}
{{- define "chasi.validate" -}}
{{- if and .Values.embedded (eq .Values.mode "distributed") -}}
{{- fail "embedded: true runs the whole pipeline in one pod; it cannot be combined with mode: distributed (ingest only)" -}}
{{- end -}}
{{- if and (eq .Values.mode "distributed") (not .Values.distributed.hostNamespace) -}}
{{- fail "mode: distributed needs distributed.hostNamespace (the host namespace the vCluster runs in)" -}}
{{- end -}}
{{- if and (eq .Values.mode "centralized") (not .Values.embedded) .Values.streams.enabled (gt (int .Values.streams.replicas) (int .Values.streams.partitions)) -}}
{{- fail (printf "streams.replicas (%d) must not exceed streams.partitions (%d): a replica without a partition idles" (int .Values.streams.replicas) (int .Values.streams.partitions)) -}}
{{- end -}}
{{- if and (eq .Values.mode "centralized") (not .Values.embedded) .Values.diagnosis.enabled .Values.diagnosis.persistence.enabled (gt (int .Values.diagnosis.replicas) 1) -}}
{{- fail "diagnosis.replicas > 1 cannot share one ReadWriteOnce knowledge volume: set qdrant.endpoint and diagnosis.persistence.enabled: false" -}}
{{- end -}}
{{- if and (hasPrefix "SASL" .Values.kafka.securityProtocol) (not .Values.embedded) (or (not .Values.kafka.sasl.username) (not .Values.kafka.sasl.passwordSecret.name)) -}}
{{- fail (printf "kafka.securityProtocol %s needs kafka.sasl.username and kafka.sasl.passwordSecret.name" .Values.kafka.securityProtocol) -}}
{{- end -}}
{{- if and (has .Values.llm.provider (list "OpenAI" "Ollama")) (not .Values.llm.endpoint) (or .Values.embedded (eq .Values.mode "centralized")) -}}
{{- fail (printf "llm.provider %s needs llm.endpoint" .Values.llm.provider) -}}
{{- end -}}
{{- if and .Values.operator.enabled (or .Values.embedded (eq .Values.mode "distributed")) -}}
{{- fail "operator.enabled needs mode: centralized without embedded: it runs on the host and hands knowledge documents over on the external Kafka" -}}
{{- end -}}
{{- $e := .Values.executor -}}
{{- if and $e.enabled (eq .Values.mode "distributed") -}}
{{- fail "executor.enabled needs mode: centralized (or embedded): a distributed release runs ingest only" -}}
{{- end -}}
{{- if and $e.policy $e.policyConfigMap.name -}}
{{- fail "executor.policy and executor.policyConfigMap.name are exclusive: give the policy inline or as a ConfigMap key, not both" -}}
{{- end -}}
{{- if and $e.policyConfigMap.name (not $e.policyConfigMap.key) -}}
{{- fail "executor.policyConfigMap.name needs executor.policyConfigMap.key (the operator writes <ActionPolicy name>.yaml)" -}}
{{- end -}}
{{- if and $e.clusters (not $e.kubeconfigSecret.name) -}}
{{- fail "executor.clusters maps clusters to kubeconfig contexts: it needs executor.kubeconfigSecret.name" -}}
{{- end -}}
{{- if and $e.inCluster (hasKey $e.clusters .Values.cluster.name) -}}
{{- fail (printf "executor.clusters names %s, which executor.inCluster already reaches with the executor's ServiceAccount: remove one" .Values.cluster.name) -}}
{{- end -}}
{{- end -}}
