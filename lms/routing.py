"""Page routing in fewer queries for page types whose children are all of one type."""


class TypedChildRouteMixin:
    """Route to a child page in one query instead of Wagtail's two.

    Wagtail finds a child as a generic Page and then loads its specific row; the
    home page's only child type is the catalog, the catalog's are courses and a
    course's are modules (`subpage_types`), so the specific model is known and
    one query finds the page. Anything else
    (another type left by an old tree, a wrong slug) falls back to Wagtail's route.
    """

    def child_route_model(self):
        """The one page type this page's children are (its `subpage_types`), read without a query."""
        (model,) = type(self).clean_subpage_models()
        return model

    def child_routed(self, child) -> None:
        """Hook: the child found for this request (e.g. to hand it its parent)."""

    def route(self, request, path_components):
        if path_components:
            child = self.child_route_model().objects.child_of(self).filter(slug=path_components[0]).first()
            if child is not None:
                # Treebeard's get_parent() reads this instead of querying (as Wagtail's route does).
                child._cached_parent_obj = self
                self.child_routed(child)
                return child.route(request, path_components[1:])
        return super().route(request, path_components)
