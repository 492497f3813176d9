from django.urls import path

from api import docs, health, views

urlpatterns = [
    path("user/register/", views.Register.as_view(), name="register"),
    path("user/me/", views.Me.as_view(), name="me"),
    path("user/password/", views.PasswordChange.as_view(), name="password-change"),
    path("user/logout-all/", views.LogoutAll.as_view(), name="logout-all"),
    path("token/", views.TokenObtainPair.as_view(), name="token-obtain-pair"),
    path("token/refresh/", views.TokenRefresh.as_view(), name="token-refresh"),
    path("token/verify/", views.TokenVerify.as_view(), name="token-verify"),
    path("token/blacklist/", views.TokenBlacklist.as_view(), name="token-blacklist"),
    path("notes/", views.NoteListCreate.as_view(), name="note-list"),
    path("notes/<int:pk>/", views.NoteDetail.as_view(), name="note-detail"),
    path("notes/delete/<int:pk>/", views.NoteDelete.as_view(), name="note-delete"),
    path("health/", health.Health.as_view(), name="health"),
    path("schema/", docs.SchemaView.as_view(), name="schema"),
    path("docs/", docs.SwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("redoc/", docs.RedocView.as_view(url_name="schema"), name="redoc"),
]
