-- Promote past the current step: the operator acts once on the annotation and removes it.
if obj.metadata.annotations == nil then
  obj.metadata.annotations = {}
end
obj.metadata.annotations["modelrollout.io/action"] = "promote"
return obj
