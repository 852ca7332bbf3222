-- Abort the rollout: all traffic back to stable: the operator acts once on the annotation and removes it.
if obj.metadata.annotations == nil then
  obj.metadata.annotations = {}
end
obj.metadata.annotations["modelrollout.io/action"] = "abort"
return obj
