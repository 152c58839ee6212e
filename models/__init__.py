"""rhetorica's shipped model files (installed as ``rhetorica.models``); see each folder's MODEL_CARD.md."""
