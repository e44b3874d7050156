/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query Me {\n    me {\n      id\n      email\n      name\n      isAdmin\n      via\n    }\n  }\n": typeof types.MeDocument,
    "\n  fragment RunClassMetricsFields on RunClassMetrics {\n    runId\n    precision\n    recall\n    f1\n  }\n": typeof types.RunClassMetricsFieldsFragmentDoc,
    "\n  query Compare($ids: [ID!]!) {\n    compareRuns(ids: $ids, maxPoints: 500) {\n      runs {\n        id\n        name\n        status\n        project {\n          name\n        }\n        hyperparameters\n        summary {\n          ...MetricSummaryFields\n        }\n        # Diffed beside the hyperparameters (lib/reproducibility.ts reproducibilityDiff).\n        reproducibility {\n          git {\n            commit\n            dirty\n            branch\n          }\n          host\n          os {\n            platform\n            release\n            arch\n          }\n          node\n          tfjs\n          backend\n          dataset {\n            sha256\n          }\n          configFile {\n            path\n            sha256\n          }\n        }\n      }\n      metrics {\n        name\n        series {\n          runId\n          downsampled\n          points {\n            ...MetricPointFields\n          }\n        }\n      }\n      hyperparameters {\n        key\n        differs\n        values\n      }\n      perClass {\n        label\n        metrics {\n          ...RunClassMetricsFields\n        }\n        deltas {\n          ...RunClassMetricsFields\n        }\n      }\n      topK {\n        runId\n        evaluationId\n        topK {\n          k\n          accuracy\n        }\n      }\n    }\n  }\n": typeof types.CompareDocument,
    "\n  query RunIds($filter: RunFilter, $first: Int, $orderBy: RunOrder!) {\n    runs(filter: $filter, first: $first, orderBy: $orderBy) {\n      nodes {\n        id\n      }\n    }\n  }\n": typeof types.RunIdsDocument,
    "\n  query ExplainSampleSearch(\n    $id: ID!\n    $filter: PredictionFilter\n    $orderBy: PredictionOrder\n    $first: Int\n    $after: String\n    $last: Int\n    $before: String\n  ) {\n    run(id: $id) {\n      predictions(\n        filter: $filter\n        orderBy: $orderBy\n        first: $first\n        after: $after\n        last: $last\n        before: $before\n      ) {\n        totalCount\n        pageInfo {\n          startCursor\n          endCursor\n          hasNextPage\n          hasPreviousPage\n        }\n        nodes {\n          index\n          label\n          predicted\n          confidence\n          correct\n        }\n      }\n    }\n  }\n": typeof types.ExplainSampleSearchDocument,
    "\n  fragment SampleJobFields on ExplanationJob {\n    id\n    status\n    error\n    result\n  }\n": typeof types.SampleJobFieldsFragmentDoc,
    "\n  mutation ExplainSample($runId: ID!, $input: ExplainSampleInput!) {\n    explainSample(runId: $runId, input: $input) {\n      cached\n      job {\n        ...SampleJobFields\n      }\n    }\n  }\n": typeof types.ExplainSampleDocument,
    "\n  query SampleExplanationJob($id: ID!) {\n    explanationJob(id: $id) {\n      ...SampleJobFields\n    }\n  }\n": typeof types.SampleExplanationJobDocument,
    "\n  fragment ApiKeyFields on ApiKey {\n    id\n    name\n    start\n    userId\n    role\n    projectIds\n    enabled\n    lastUsedAt\n    expiresAt\n    createdAt\n  }\n": typeof types.ApiKeyFieldsFragmentDoc,
    "\n  fragment UserFields on User {\n    id\n    email\n    name\n    isAdmin\n    createdAt\n  }\n": typeof types.UserFieldsFragmentDoc,
    "\n  fragment MemberFields on ProjectMember {\n    userId\n    email\n    name\n    role\n    since\n  }\n": typeof types.MemberFieldsFragmentDoc,
    "\n  query Settings($first: Int) {\n    apiKeys(first: $first) {\n      nodes {\n        ...ApiKeyFields\n      }\n    }\n    projects(first: $first) {\n      nodes {\n        id\n        name\n        visibility\n        myRole\n        members {\n          ...MemberFields\n        }\n      }\n    }\n  }\n": typeof types.SettingsDocument,
    "\n  query Users($first: Int) {\n    users(first: $first) {\n      nodes {\n        ...UserFields\n      }\n    }\n  }\n": typeof types.UsersDocument,
    "\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      key\n      apiKey {\n        ...ApiKeyFields\n      }\n    }\n  }\n": typeof types.CreateApiKeyDocument,
    "\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) {\n      ...ApiKeyFields\n    }\n  }\n": typeof types.RevokeApiKeyDocument,
    "\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      ...UserFields\n    }\n  }\n": typeof types.CreateUserDocument,
    "\n  mutation CreateLoginLink($email: String!) {\n    createLoginLink(email: $email)\n  }\n": typeof types.CreateLoginLinkDocument,
    "\n  mutation SetUserAdmin($userId: ID!, $admin: Boolean!) {\n    setUserAdmin(userId: $userId, admin: $admin) {\n      ...UserFields\n    }\n  }\n": typeof types.SetUserAdminDocument,
    "\n  mutation SetProjectMember($project: String!, $email: String!, $role: ProjectRole!) {\n    setProjectMember(project: $project, email: $email, role: $role) {\n      ...MemberFields\n    }\n  }\n": typeof types.SetProjectMemberDocument,
    "\n  mutation RemoveProjectMember($project: String!, $email: String!) {\n    removeProjectMember(project: $project, email: $email) {\n      ...MemberFields\n    }\n  }\n": typeof types.RemoveProjectMemberDocument,
    "\n  mutation SetProjectVisibility($project: String!, $visibility: ProjectVisibility!) {\n    setProjectVisibility(project: $project, visibility: $visibility) {\n      id\n      visibility\n    }\n  }\n": typeof types.SetProjectVisibilityDocument,
    "\n  fragment MetricPointFields on MetricPoint {\n    step\n    value\n    time\n  }\n": typeof types.MetricPointFieldsFragmentDoc,
    "\n  fragment MetricSummaryFields on MetricSummary {\n    name\n    last\n    lastStep\n    min\n    max\n    count\n  }\n": typeof types.MetricSummaryFieldsFragmentDoc,
    "\n  fragment ProjectFields on Project {\n    id\n    name\n    description\n    createdAt\n    runCount\n    myRole\n  }\n": typeof types.ProjectFieldsFragmentDoc,
    "\n  fragment RunListFields on Run {\n    id\n    name\n    status\n    cancelRequested\n    project {\n      name\n    }\n    hyperparameters\n    tags\n    createdAt\n    startedAt\n    endedAt\n    durationMs\n    summary {\n      ...MetricSummaryFields\n    }\n    trend: metrics(names: [\"val_accuracy\"], maxPoints: 40) {\n      name\n      points {\n        ...MetricPointFields\n      }\n    }\n  }\n": typeof types.RunListFieldsFragmentDoc,
    "\n  query Dashboard($filter: RunFilter, $first: Int, $orderBy: RunOrder!, $projectsFirst: Int) {\n    # Every project for the sidebar and the filter: PROJECTS_PAGE_SIZE, a variable like runs'\n    # first (a literal 500 would multiply the document's static cost past the API's limit).\n    projects(first: $projectsFirst) {\n      nodes {\n        ...ProjectFields\n      }\n    }\n    runs(filter: $filter, first: $first, orderBy: $orderBy) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        ...RunListFields\n      }\n    }\n  }\n": typeof types.DashboardDocument,
    "\n  query Runs($filter: RunFilter, $first: Int, $after: String, $orderBy: RunOrder!) {\n    runs(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        ...RunListFields\n      }\n    }\n  }\n": typeof types.RunsDocument,
    "\n  query Project($name: String!) {\n    project(name: $name) {\n      ...ProjectFields\n    }\n  }\n": typeof types.ProjectDocument,
    "\n  fragment ArtifactFields on Artifact {\n    id\n    kind\n    name\n    sha256\n    bytes\n    mimeType\n    createdAt\n  }\n": typeof types.ArtifactFieldsFragmentDoc,
    "\n  fragment MetricSeriesFields on MetricSeries {\n    name\n    totalPoints\n    downsampled\n    points {\n      ...MetricPointFields\n    }\n  }\n": typeof types.MetricSeriesFieldsFragmentDoc,
    "\n  fragment SampleImagesFields on SampleImages {\n    count\n    height\n    width\n    channels\n    sha256\n  }\n": typeof types.SampleImagesFieldsFragmentDoc,
    "\n  fragment UncertaintyFields on Uncertainty {\n    id\n    split\n    method\n    passes\n    numSamples\n    numClasses\n    classNames\n    accuracy\n    auc\n    meanEntropy\n    meanMutualInformation\n  }\n": typeof types.UncertaintyFieldsFragmentDoc,
    "\n  fragment EvaluationFields on Evaluation {\n    id\n    split\n    numSamples\n    numClasses\n    classNames\n    accuracy\n    logLoss\n    ece\n    topK {\n      k\n      accuracy\n    }\n    perClass {\n      label\n      precision\n      recall\n      f1\n      sensitivity\n      specificity\n      support\n      auc\n    }\n    confusionMatrix\n    macro {\n      precision\n      recall\n      f1\n    }\n    weighted {\n      precision\n      recall\n      f1\n    }\n    calibration {\n      binLower\n      binUpper\n      confidence\n      accuracy\n      count\n    }\n  }\n": typeof types.EvaluationFieldsFragmentDoc,
    "\n  fragment RunDetailFields on Run {\n    id\n    name\n    status\n    cancelRequested\n    sourceRunId\n    worker {\n      id\n      name\n    }\n    project {\n      name\n    }\n    hyperparameters\n    tags\n    notes\n    modelSummary\n    datasetInfo\n    backend\n    backendReason\n    error\n    createdAt\n    startedAt\n    endedAt\n    heartbeatAt\n    durationMs\n    metrics(maxPoints: 1000) {\n      ...MetricSeriesFields\n    }\n    summary {\n      ...MetricSummaryFields\n    }\n    # $artifactsFirst (default 1000, the API's maximum page) is a variable: a literal first would\n    # multiply the document's static cost. The table says when a run has more.\n    artifacts(first: $artifactsFirst) {\n      pageInfo {\n        hasNextPage\n      }\n      nodes {\n        ...ArtifactFields\n      }\n    }\n    # The files the page's links depend on, by name: never missing because of a page boundary.\n    model {\n      format\n      artifactName\n      artifactUrl\n    }\n    packIndex: artifact(name: \"explain.index.json\") {\n      name\n    }\n    weights: artifact(name: \"weights.bin\") {\n      name\n    }\n    samples {\n      ...SampleImagesFields\n    }\n    uncertainty {\n      ...UncertaintyFields\n    }\n    evaluation {\n      ...EvaluationFields\n    }\n  }\n": typeof types.RunDetailFieldsFragmentDoc,
    "\n  query Run($id: ID!, $artifactsFirst: Int = 1000) {\n    run(id: $id) {\n      ...RunDetailFields\n    }\n  }\n": typeof types.RunDocument,
    "\n  fragment RocCurveFields on RocCurve {\n    fpr\n    tpr\n  }\n": typeof types.RocCurveFieldsFragmentDoc,
    "\n  fragment PredictionFields on Prediction {\n    index\n    label\n    predicted\n    confidence\n    correct\n    probabilities\n  }\n": typeof types.PredictionFieldsFragmentDoc,
    "\n  query RunPredictions(\n    $id: ID!\n    $filter: PredictionFilter\n    $first: Int\n    $after: String\n    $orderBy: PredictionOrder\n    $evaluationId: ID\n  ) {\n    run(id: $id) {\n      predictions(\n        filter: $filter\n        first: $first\n        after: $after\n        orderBy: $orderBy\n        evaluationId: $evaluationId\n      ) {\n        totalCount\n        pageInfo {\n          endCursor\n          hasNextPage\n        }\n        nodes {\n          ...PredictionFields\n        }\n      }\n    }\n  }\n": typeof types.RunPredictionsDocument,
    "\n  fragment UncertaintySampleFields on UncertaintySample {\n    index\n    label\n    predicted\n    correct\n    confidence\n    meanProbabilities\n    entropy\n    mutualInformation\n    boxplots {\n      class\n      className\n      min\n      q1\n      median\n      q3\n      max\n    }\n  }\n": typeof types.UncertaintySampleFieldsFragmentDoc,
    "\n  query RunUncertaintySamples(\n    $id: ID!\n    $uncertaintyId: ID\n    $first: Int\n    $after: String\n    $orderBy: UncertaintySampleOrder\n  ) {\n    run(id: $id) {\n      uncertainty(id: $uncertaintyId) {\n        id\n        samples(first: $first, after: $after, orderBy: $orderBy) {\n          totalCount\n          pageInfo {\n            endCursor\n            hasNextPage\n          }\n          nodes {\n            ...UncertaintySampleFields\n          }\n        }\n      }\n    }\n  }\n": typeof types.RunUncertaintySamplesDocument,
    "\n  query NewRun($projectsFirst: Int!) {\n    presets {\n      name\n      description\n      inputShape\n      classes\n      epochs\n      batchSize\n    }\n    projects(first: $projectsFirst) {\n      nodes {\n        id\n        name\n        myRole\n      }\n    }\n  }\n": typeof types.NewRunDocument,
    "\n  query RunToCopy($id: ID!) {\n    run(id: $id) {\n      id\n      name\n      tags\n      notes\n      priority\n      queuedConfig\n      hyperparameters\n      project {\n        id\n        name\n      }\n    }\n  }\n": typeof types.RunToCopyDocument,
    "\n  mutation QueueRun($input: QueueRunInput!) {\n    queueRun(input: $input) {\n      id\n      name\n      status\n    }\n  }\n": typeof types.QueueRunDocument,
    "\n  mutation CancelRun($id: ID!) {\n    cancelRun(id: $id) {\n      id\n      status\n      cancelRequested\n    }\n  }\n": typeof types.CancelRunDocument,
    "\n  query Workers($first: Int!, $after: String) {\n    workers(first: $first, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        name\n        host\n        backend\n        gpu\n        memoryMb\n        concurrency\n        status\n        lastSeenAt\n        startedAt\n        currentRuns {\n          id\n          name\n          project {\n            name\n          }\n        }\n      }\n    }\n  }\n": typeof types.WorkersDocument,
    "\n  query RunReproducibility($id: ID!) {\n    run(id: $id) {\n      id\n      reproducibility {\n        configFile {\n          path\n          text\n          sha256\n          truncated\n        }\n        git {\n          commit\n          branch\n          dirty\n          diff\n          diffBytes\n          diffTruncated\n        }\n        command\n        host\n        os {\n          platform\n          release\n          arch\n        }\n        node\n        tfjs\n        backend\n        dataset {\n          sha256\n          fileCount\n          bytesRead\n          truncated\n          files {\n            path\n          }\n        }\n      }\n    }\n  }\n": typeof types.RunReproducibilityDocument,
    "\n  query RunManagement($id: ID!, $projectsFirst: Int!) {\n    run(id: $id) {\n      id\n      archived\n      archivedAt\n      project {\n        name\n        myRole\n      }\n    }\n    projects(first: $projectsFirst) {\n      nodes {\n        name\n        myRole\n      }\n    }\n  }\n": typeof types.RunManagementDocument,
    "\n  mutation UpdateRunFields($id: ID!, $input: UpdateRunInput!) {\n    updateRun(id: $id, input: $input) {\n      id\n      name\n      tags\n      notes\n    }\n  }\n": typeof types.UpdateRunFieldsDocument,
    "\n  mutation ArchiveRun($id: ID!) {\n    archiveRun(id: $id) {\n      id\n      archived\n      archivedAt\n    }\n  }\n": typeof types.ArchiveRunDocument,
    "\n  mutation UnarchiveRun($id: ID!) {\n    unarchiveRun(id: $id) {\n      id\n      archived\n      archivedAt\n    }\n  }\n": typeof types.UnarchiveRunDocument,
    "\n  mutation DeleteRun($id: ID!) {\n    deleteRun(id: $id) {\n      id\n      projectName\n    }\n  }\n": typeof types.DeleteRunDocument,
    "\n  mutation MoveRun($id: ID!, $project: String!) {\n    moveRun(id: $id, project: $project) {\n      id\n      project {\n        name\n      }\n    }\n  }\n": typeof types.MoveRunDocument,
    "\n  query RunsSignature($filter: RunFilter) {\n    runs(filter: $filter, first: 1, orderBy: { by: { field: CREATED_AT }, direction: DESC }) {\n      totalCount\n      nodes {\n        id\n      }\n    }\n  }\n": typeof types.RunsSignatureDocument,
    "\n  fragment SavedViewFields on SavedView {\n    id\n    name\n    state\n    updatedAt\n  }\n": typeof types.SavedViewFieldsFragmentDoc,
    "\n  query SavedViews($project: String!) {\n    savedViews(project: $project) {\n      ...SavedViewFields\n    }\n  }\n": typeof types.SavedViewsDocument,
    "\n  mutation SaveView($input: SaveViewInput!) {\n    saveView(input: $input) {\n      ...SavedViewFields\n    }\n  }\n": typeof types.SaveViewDocument,
    "\n  mutation DeleteView($id: ID!) {\n    deleteView(id: $id) {\n      id\n    }\n  }\n": typeof types.DeleteViewDocument,
    "\n  query ProjectSweeps($projectId: ID!, $first: Int!, $after: String) {\n    sweeps(projectId: $projectId, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        name\n        status\n        method\n        createdAt\n        metric {\n          name\n          goal\n        }\n        progress {\n          completed\n          running\n          queued\n          failed\n          cancelled\n          planned\n        }\n        bestRun {\n          runId\n          value\n        }\n      }\n    }\n  }\n": typeof types.ProjectSweepsDocument,
    "\n  query SweepProject($name: String!) {\n    project(name: $name) {\n      id\n      name\n      myRole\n    }\n  }\n": typeof types.SweepProjectDocument,
    "\n  query SweepPage($id: ID!) {\n    sweep(id: $id) {\n      id\n      projectId\n      project {\n        name\n        myRole\n      }\n      name\n      status\n      method\n      configText\n      lastError\n      createdAt\n      endedAt\n      metric {\n        name\n        goal\n      }\n      parameterNames\n      progress {\n        queued\n        running\n        completed\n        failed\n        cancelled\n        launched\n        planned\n        parallel\n        launchErrors\n      }\n      bestRun {\n        runId\n        runName\n        value\n        parameters\n      }\n      points {\n        runId\n        runName\n        status\n        parameters\n        value\n      }\n      importance {\n        name\n        correlation\n        importance\n      }\n    }\n  }\n": typeof types.SweepPageDocument,
    "\n  mutation CreateSweep($projectId: ID!, $name: String!, $config: String!) {\n    createSweep(projectId: $projectId, name: $name, config: $config) {\n      id\n    }\n  }\n": typeof types.CreateSweepDocument,
    "\n  mutation PauseSweep($id: ID!) {\n    pauseSweep(id: $id) {\n      id\n      status\n    }\n  }\n": typeof types.PauseSweepDocument,
    "\n  mutation ResumeSweep($id: ID!) {\n    resumeSweep(id: $id) {\n      id\n      status\n    }\n  }\n": typeof types.ResumeSweepDocument,
    "\n  mutation StopSweep($id: ID!) {\n    stopSweep(id: $id) {\n      id\n      status\n    }\n  }\n": typeof types.StopSweepDocument,
};
const documents: Documents = {
    "\n  query Me {\n    me {\n      id\n      email\n      name\n      isAdmin\n      via\n    }\n  }\n": types.MeDocument,
    "\n  fragment RunClassMetricsFields on RunClassMetrics {\n    runId\n    precision\n    recall\n    f1\n  }\n": types.RunClassMetricsFieldsFragmentDoc,
    "\n  query Compare($ids: [ID!]!) {\n    compareRuns(ids: $ids, maxPoints: 500) {\n      runs {\n        id\n        name\n        status\n        project {\n          name\n        }\n        hyperparameters\n        summary {\n          ...MetricSummaryFields\n        }\n        # Diffed beside the hyperparameters (lib/reproducibility.ts reproducibilityDiff).\n        reproducibility {\n          git {\n            commit\n            dirty\n            branch\n          }\n          host\n          os {\n            platform\n            release\n            arch\n          }\n          node\n          tfjs\n          backend\n          dataset {\n            sha256\n          }\n          configFile {\n            path\n            sha256\n          }\n        }\n      }\n      metrics {\n        name\n        series {\n          runId\n          downsampled\n          points {\n            ...MetricPointFields\n          }\n        }\n      }\n      hyperparameters {\n        key\n        differs\n        values\n      }\n      perClass {\n        label\n        metrics {\n          ...RunClassMetricsFields\n        }\n        deltas {\n          ...RunClassMetricsFields\n        }\n      }\n      topK {\n        runId\n        evaluationId\n        topK {\n          k\n          accuracy\n        }\n      }\n    }\n  }\n": types.CompareDocument,
    "\n  query RunIds($filter: RunFilter, $first: Int, $orderBy: RunOrder!) {\n    runs(filter: $filter, first: $first, orderBy: $orderBy) {\n      nodes {\n        id\n      }\n    }\n  }\n": types.RunIdsDocument,
    "\n  query ExplainSampleSearch(\n    $id: ID!\n    $filter: PredictionFilter\n    $orderBy: PredictionOrder\n    $first: Int\n    $after: String\n    $last: Int\n    $before: String\n  ) {\n    run(id: $id) {\n      predictions(\n        filter: $filter\n        orderBy: $orderBy\n        first: $first\n        after: $after\n        last: $last\n        before: $before\n      ) {\n        totalCount\n        pageInfo {\n          startCursor\n          endCursor\n          hasNextPage\n          hasPreviousPage\n        }\n        nodes {\n          index\n          label\n          predicted\n          confidence\n          correct\n        }\n      }\n    }\n  }\n": types.ExplainSampleSearchDocument,
    "\n  fragment SampleJobFields on ExplanationJob {\n    id\n    status\n    error\n    result\n  }\n": types.SampleJobFieldsFragmentDoc,
    "\n  mutation ExplainSample($runId: ID!, $input: ExplainSampleInput!) {\n    explainSample(runId: $runId, input: $input) {\n      cached\n      job {\n        ...SampleJobFields\n      }\n    }\n  }\n": types.ExplainSampleDocument,
    "\n  query SampleExplanationJob($id: ID!) {\n    explanationJob(id: $id) {\n      ...SampleJobFields\n    }\n  }\n": types.SampleExplanationJobDocument,
    "\n  fragment ApiKeyFields on ApiKey {\n    id\n    name\n    start\n    userId\n    role\n    projectIds\n    enabled\n    lastUsedAt\n    expiresAt\n    createdAt\n  }\n": types.ApiKeyFieldsFragmentDoc,
    "\n  fragment UserFields on User {\n    id\n    email\n    name\n    isAdmin\n    createdAt\n  }\n": types.UserFieldsFragmentDoc,
    "\n  fragment MemberFields on ProjectMember {\n    userId\n    email\n    name\n    role\n    since\n  }\n": types.MemberFieldsFragmentDoc,
    "\n  query Settings($first: Int) {\n    apiKeys(first: $first) {\n      nodes {\n        ...ApiKeyFields\n      }\n    }\n    projects(first: $first) {\n      nodes {\n        id\n        name\n        visibility\n        myRole\n        members {\n          ...MemberFields\n        }\n      }\n    }\n  }\n": types.SettingsDocument,
    "\n  query Users($first: Int) {\n    users(first: $first) {\n      nodes {\n        ...UserFields\n      }\n    }\n  }\n": types.UsersDocument,
    "\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      key\n      apiKey {\n        ...ApiKeyFields\n      }\n    }\n  }\n": types.CreateApiKeyDocument,
    "\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) {\n      ...ApiKeyFields\n    }\n  }\n": types.RevokeApiKeyDocument,
    "\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      ...UserFields\n    }\n  }\n": types.CreateUserDocument,
    "\n  mutation CreateLoginLink($email: String!) {\n    createLoginLink(email: $email)\n  }\n": types.CreateLoginLinkDocument,
    "\n  mutation SetUserAdmin($userId: ID!, $admin: Boolean!) {\n    setUserAdmin(userId: $userId, admin: $admin) {\n      ...UserFields\n    }\n  }\n": types.SetUserAdminDocument,
    "\n  mutation SetProjectMember($project: String!, $email: String!, $role: ProjectRole!) {\n    setProjectMember(project: $project, email: $email, role: $role) {\n      ...MemberFields\n    }\n  }\n": types.SetProjectMemberDocument,
    "\n  mutation RemoveProjectMember($project: String!, $email: String!) {\n    removeProjectMember(project: $project, email: $email) {\n      ...MemberFields\n    }\n  }\n": types.RemoveProjectMemberDocument,
    "\n  mutation SetProjectVisibility($project: String!, $visibility: ProjectVisibility!) {\n    setProjectVisibility(project: $project, visibility: $visibility) {\n      id\n      visibility\n    }\n  }\n": types.SetProjectVisibilityDocument,
    "\n  fragment MetricPointFields on MetricPoint {\n    step\n    value\n    time\n  }\n": types.MetricPointFieldsFragmentDoc,
    "\n  fragment MetricSummaryFields on MetricSummary {\n    name\n    last\n    lastStep\n    min\n    max\n    count\n  }\n": types.MetricSummaryFieldsFragmentDoc,
    "\n  fragment ProjectFields on Project {\n    id\n    name\n    description\n    createdAt\n    runCount\n    myRole\n  }\n": types.ProjectFieldsFragmentDoc,
    "\n  fragment RunListFields on Run {\n    id\n    name\n    status\n    cancelRequested\n    project {\n      name\n    }\n    hyperparameters\n    tags\n    createdAt\n    startedAt\n    endedAt\n    durationMs\n    summary {\n      ...MetricSummaryFields\n    }\n    trend: metrics(names: [\"val_accuracy\"], maxPoints: 40) {\n      name\n      points {\n        ...MetricPointFields\n      }\n    }\n  }\n": types.RunListFieldsFragmentDoc,
    "\n  query Dashboard($filter: RunFilter, $first: Int, $orderBy: RunOrder!, $projectsFirst: Int) {\n    # Every project for the sidebar and the filter: PROJECTS_PAGE_SIZE, a variable like runs'\n    # first (a literal 500 would multiply the document's static cost past the API's limit).\n    projects(first: $projectsFirst) {\n      nodes {\n        ...ProjectFields\n      }\n    }\n    runs(filter: $filter, first: $first, orderBy: $orderBy) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        ...RunListFields\n      }\n    }\n  }\n": types.DashboardDocument,
    "\n  query Runs($filter: RunFilter, $first: Int, $after: String, $orderBy: RunOrder!) {\n    runs(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        ...RunListFields\n      }\n    }\n  }\n": types.RunsDocument,
    "\n  query Project($name: String!) {\n    project(name: $name) {\n      ...ProjectFields\n    }\n  }\n": types.ProjectDocument,
    "\n  fragment ArtifactFields on Artifact {\n    id\n    kind\n    name\n    sha256\n    bytes\n    mimeType\n    createdAt\n  }\n": types.ArtifactFieldsFragmentDoc,
    "\n  fragment MetricSeriesFields on MetricSeries {\n    name\n    totalPoints\n    downsampled\n    points {\n      ...MetricPointFields\n    }\n  }\n": types.MetricSeriesFieldsFragmentDoc,
    "\n  fragment SampleImagesFields on SampleImages {\n    count\n    height\n    width\n    channels\n    sha256\n  }\n": types.SampleImagesFieldsFragmentDoc,
    "\n  fragment UncertaintyFields on Uncertainty {\n    id\n    split\n    method\n    passes\n    numSamples\n    numClasses\n    classNames\n    accuracy\n    auc\n    meanEntropy\n    meanMutualInformation\n  }\n": types.UncertaintyFieldsFragmentDoc,
    "\n  fragment EvaluationFields on Evaluation {\n    id\n    split\n    numSamples\n    numClasses\n    classNames\n    accuracy\n    logLoss\n    ece\n    topK {\n      k\n      accuracy\n    }\n    perClass {\n      label\n      precision\n      recall\n      f1\n      sensitivity\n      specificity\n      support\n      auc\n    }\n    confusionMatrix\n    macro {\n      precision\n      recall\n      f1\n    }\n    weighted {\n      precision\n      recall\n      f1\n    }\n    calibration {\n      binLower\n      binUpper\n      confidence\n      accuracy\n      count\n    }\n  }\n": types.EvaluationFieldsFragmentDoc,
    "\n  fragment RunDetailFields on Run {\n    id\n    name\n    status\n    cancelRequested\n    sourceRunId\n    worker {\n      id\n      name\n    }\n    project {\n      name\n    }\n    hyperparameters\n    tags\n    notes\n    modelSummary\n    datasetInfo\n    backend\n    backendReason\n    error\n    createdAt\n    startedAt\n    endedAt\n    heartbeatAt\n    durationMs\n    metrics(maxPoints: 1000) {\n      ...MetricSeriesFields\n    }\n    summary {\n      ...MetricSummaryFields\n    }\n    # $artifactsFirst (default 1000, the API's maximum page) is a variable: a literal first would\n    # multiply the document's static cost. The table says when a run has more.\n    artifacts(first: $artifactsFirst) {\n      pageInfo {\n        hasNextPage\n      }\n      nodes {\n        ...ArtifactFields\n      }\n    }\n    # The files the page's links depend on, by name: never missing because of a page boundary.\n    model {\n      format\n      artifactName\n      artifactUrl\n    }\n    packIndex: artifact(name: \"explain.index.json\") {\n      name\n    }\n    weights: artifact(name: \"weights.bin\") {\n      name\n    }\n    samples {\n      ...SampleImagesFields\n    }\n    uncertainty {\n      ...UncertaintyFields\n    }\n    evaluation {\n      ...EvaluationFields\n    }\n  }\n": types.RunDetailFieldsFragmentDoc,
    "\n  query Run($id: ID!, $artifactsFirst: Int = 1000) {\n    run(id: $id) {\n      ...RunDetailFields\n    }\n  }\n": types.RunDocument,
    "\n  fragment RocCurveFields on RocCurve {\n    fpr\n    tpr\n  }\n": types.RocCurveFieldsFragmentDoc,
    "\n  fragment PredictionFields on Prediction {\n    index\n    label\n    predicted\n    confidence\n    correct\n    probabilities\n  }\n": types.PredictionFieldsFragmentDoc,
    "\n  query RunPredictions(\n    $id: ID!\n    $filter: PredictionFilter\n    $first: Int\n    $after: String\n    $orderBy: PredictionOrder\n    $evaluationId: ID\n  ) {\n    run(id: $id) {\n      predictions(\n        filter: $filter\n        first: $first\n        after: $after\n        orderBy: $orderBy\n        evaluationId: $evaluationId\n      ) {\n        totalCount\n        pageInfo {\n          endCursor\n          hasNextPage\n        }\n        nodes {\n          ...PredictionFields\n        }\n      }\n    }\n  }\n": types.RunPredictionsDocument,
    "\n  fragment UncertaintySampleFields on UncertaintySample {\n    index\n    label\n    predicted\n    correct\n    confidence\n    meanProbabilities\n    entropy\n    mutualInformation\n    boxplots {\n      class\n      className\n      min\n      q1\n      median\n      q3\n      max\n    }\n  }\n": types.UncertaintySampleFieldsFragmentDoc,
    "\n  query RunUncertaintySamples(\n    $id: ID!\n    $uncertaintyId: ID\n    $first: Int\n    $after: String\n    $orderBy: UncertaintySampleOrder\n  ) {\n    run(id: $id) {\n      uncertainty(id: $uncertaintyId) {\n        id\n        samples(first: $first, after: $after, orderBy: $orderBy) {\n          totalCount\n          pageInfo {\n            endCursor\n            hasNextPage\n          }\n          nodes {\n            ...UncertaintySampleFields\n          }\n        }\n      }\n    }\n  }\n": types.RunUncertaintySamplesDocument,
    "\n  query NewRun($projectsFirst: Int!) {\n    presets {\n      name\n      description\n      inputShape\n      classes\n      epochs\n      batchSize\n    }\n    projects(first: $projectsFirst) {\n      nodes {\n        id\n        name\n        myRole\n      }\n    }\n  }\n": types.NewRunDocument,
    "\n  query RunToCopy($id: ID!) {\n    run(id: $id) {\n      id\n      name\n      tags\n      notes\n      priority\n      queuedConfig\n      hyperparameters\n      project {\n        id\n        name\n      }\n    }\n  }\n": types.RunToCopyDocument,
    "\n  mutation QueueRun($input: QueueRunInput!) {\n    queueRun(input: $input) {\n      id\n      name\n      status\n    }\n  }\n": types.QueueRunDocument,
    "\n  mutation CancelRun($id: ID!) {\n    cancelRun(id: $id) {\n      id\n      status\n      cancelRequested\n    }\n  }\n": types.CancelRunDocument,
    "\n  query Workers($first: Int!, $after: String) {\n    workers(first: $first, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        name\n        host\n        backend\n        gpu\n        memoryMb\n        concurrency\n        status\n        lastSeenAt\n        startedAt\n        currentRuns {\n          id\n          name\n          project {\n            name\n          }\n        }\n      }\n    }\n  }\n": types.WorkersDocument,
    "\n  query RunReproducibility($id: ID!) {\n    run(id: $id) {\n      id\n      reproducibility {\n        configFile {\n          path\n          text\n          sha256\n          truncated\n        }\n        git {\n          commit\n          branch\n          dirty\n          diff\n          diffBytes\n          diffTruncated\n        }\n        command\n        host\n        os {\n          platform\n          release\n          arch\n        }\n        node\n        tfjs\n        backend\n        dataset {\n          sha256\n          fileCount\n          bytesRead\n          truncated\n          files {\n            path\n          }\n        }\n      }\n    }\n  }\n": types.RunReproducibilityDocument,
    "\n  query RunManagement($id: ID!, $projectsFirst: Int!) {\n    run(id: $id) {\n      id\n      archived\n      archivedAt\n      project {\n        name\n        myRole\n      }\n    }\n    projects(first: $projectsFirst) {\n      nodes {\n        name\n        myRole\n      }\n    }\n  }\n": types.RunManagementDocument,
    "\n  mutation UpdateRunFields($id: ID!, $input: UpdateRunInput!) {\n    updateRun(id: $id, input: $input) {\n      id\n      name\n      tags\n      notes\n    }\n  }\n": types.UpdateRunFieldsDocument,
    "\n  mutation ArchiveRun($id: ID!) {\n    archiveRun(id: $id) {\n      id\n      archived\n      archivedAt\n    }\n  }\n": types.ArchiveRunDocument,
    "\n  mutation UnarchiveRun($id: ID!) {\n    unarchiveRun(id: $id) {\n      id\n      archived\n      archivedAt\n    }\n  }\n": types.UnarchiveRunDocument,
    "\n  mutation DeleteRun($id: ID!) {\n    deleteRun(id: $id) {\n      id\n      projectName\n    }\n  }\n": types.DeleteRunDocument,
    "\n  mutation MoveRun($id: ID!, $project: String!) {\n    moveRun(id: $id, project: $project) {\n      id\n      project {\n        name\n      }\n    }\n  }\n": types.MoveRunDocument,
    "\n  query RunsSignature($filter: RunFilter) {\n    runs(filter: $filter, first: 1, orderBy: { by: { field: CREATED_AT }, direction: DESC }) {\n      totalCount\n      nodes {\n        id\n      }\n    }\n  }\n": types.RunsSignatureDocument,
    "\n  fragment SavedViewFields on SavedView {\n    id\n    name\n    state\n    updatedAt\n  }\n": types.SavedViewFieldsFragmentDoc,
    "\n  query SavedViews($project: String!) {\n    savedViews(project: $project) {\n      ...SavedViewFields\n    }\n  }\n": types.SavedViewsDocument,
    "\n  mutation SaveView($input: SaveViewInput!) {\n    saveView(input: $input) {\n      ...SavedViewFields\n    }\n  }\n": types.SaveViewDocument,
    "\n  mutation DeleteView($id: ID!) {\n    deleteView(id: $id) {\n      id\n    }\n  }\n": types.DeleteViewDocument,
    "\n  query ProjectSweeps($projectId: ID!, $first: Int!, $after: String) {\n    sweeps(projectId: $projectId, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        name\n        status\n        method\n        createdAt\n        metric {\n          name\n          goal\n        }\n        progress {\n          completed\n          running\n          queued\n          failed\n          cancelled\n          planned\n        }\n        bestRun {\n          runId\n          value\n        }\n      }\n    }\n  }\n": types.ProjectSweepsDocument,
    "\n  query SweepProject($name: String!) {\n    project(name: $name) {\n      id\n      name\n      myRole\n    }\n  }\n": types.SweepProjectDocument,
    "\n  query SweepPage($id: ID!) {\n    sweep(id: $id) {\n      id\n      projectId\n      project {\n        name\n        myRole\n      }\n      name\n      status\n      method\n      configText\n      lastError\n      createdAt\n      endedAt\n      metric {\n        name\n        goal\n      }\n      parameterNames\n      progress {\n        queued\n        running\n        completed\n        failed\n        cancelled\n        launched\n        planned\n        parallel\n        launchErrors\n      }\n      bestRun {\n        runId\n        runName\n        value\n        parameters\n      }\n      points {\n        runId\n        runName\n        status\n        parameters\n        value\n      }\n      importance {\n        name\n        correlation\n        importance\n      }\n    }\n  }\n": types.SweepPageDocument,
    "\n  mutation CreateSweep($projectId: ID!, $name: String!, $config: String!) {\n    createSweep(projectId: $projectId, name: $name, config: $config) {\n      id\n    }\n  }\n": types.CreateSweepDocument,
    "\n  mutation PauseSweep($id: ID!) {\n    pauseSweep(id: $id) {\n      id\n      status\n    }\n  }\n": types.PauseSweepDocument,
    "\n  mutation ResumeSweep($id: ID!) {\n    resumeSweep(id: $id) {\n      id\n      status\n    }\n  }\n": types.ResumeSweepDocument,
    "\n  mutation StopSweep($id: ID!) {\n    stopSweep(id: $id) {\n      id\n      status\n    }\n  }\n": types.StopSweepDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me {\n      id\n      email\n      name\n      isAdmin\n      via\n    }\n  }\n"): typeof import('./graphql').MeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RunClassMetricsFields on RunClassMetrics {\n    runId\n    precision\n    recall\n    f1\n  }\n"): typeof import('./graphql').RunClassMetricsFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Compare($ids: [ID!]!) {\n    compareRuns(ids: $ids, maxPoints: 500) {\n      runs {\n        id\n        name\n        status\n        project {\n          name\n        }\n        hyperparameters\n        summary {\n          ...MetricSummaryFields\n        }\n        # Diffed beside the hyperparameters (lib/reproducibility.ts reproducibilityDiff).\n        reproducibility {\n          git {\n            commit\n            dirty\n            branch\n          }\n          host\n          os {\n            platform\n            release\n            arch\n          }\n          node\n          tfjs\n          backend\n          dataset {\n            sha256\n          }\n          configFile {\n            path\n            sha256\n          }\n        }\n      }\n      metrics {\n        name\n        series {\n          runId\n          downsampled\n          points {\n            ...MetricPointFields\n          }\n        }\n      }\n      hyperparameters {\n        key\n        differs\n        values\n      }\n      perClass {\n        label\n        metrics {\n          ...RunClassMetricsFields\n        }\n        deltas {\n          ...RunClassMetricsFields\n        }\n      }\n      topK {\n        runId\n        evaluationId\n        topK {\n          k\n          accuracy\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').CompareDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RunIds($filter: RunFilter, $first: Int, $orderBy: RunOrder!) {\n    runs(filter: $filter, first: $first, orderBy: $orderBy) {\n      nodes {\n        id\n      }\n    }\n  }\n"): typeof import('./graphql').RunIdsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExplainSampleSearch(\n    $id: ID!\n    $filter: PredictionFilter\n    $orderBy: PredictionOrder\n    $first: Int\n    $after: String\n    $last: Int\n    $before: String\n  ) {\n    run(id: $id) {\n      predictions(\n        filter: $filter\n        orderBy: $orderBy\n        first: $first\n        after: $after\n        last: $last\n        before: $before\n      ) {\n        totalCount\n        pageInfo {\n          startCursor\n          endCursor\n          hasNextPage\n          hasPreviousPage\n        }\n        nodes {\n          index\n          label\n          predicted\n          confidence\n          correct\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').ExplainSampleSearchDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SampleJobFields on ExplanationJob {\n    id\n    status\n    error\n    result\n  }\n"): typeof import('./graphql').SampleJobFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ExplainSample($runId: ID!, $input: ExplainSampleInput!) {\n    explainSample(runId: $runId, input: $input) {\n      cached\n      job {\n        ...SampleJobFields\n      }\n    }\n  }\n"): typeof import('./graphql').ExplainSampleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SampleExplanationJob($id: ID!) {\n    explanationJob(id: $id) {\n      ...SampleJobFields\n    }\n  }\n"): typeof import('./graphql').SampleExplanationJobDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ApiKeyFields on ApiKey {\n    id\n    name\n    start\n    userId\n    role\n    projectIds\n    enabled\n    lastUsedAt\n    expiresAt\n    createdAt\n  }\n"): typeof import('./graphql').ApiKeyFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment UserFields on User {\n    id\n    email\n    name\n    isAdmin\n    createdAt\n  }\n"): typeof import('./graphql').UserFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment MemberFields on ProjectMember {\n    userId\n    email\n    name\n    role\n    since\n  }\n"): typeof import('./graphql').MemberFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Settings($first: Int) {\n    apiKeys(first: $first) {\n      nodes {\n        ...ApiKeyFields\n      }\n    }\n    projects(first: $first) {\n      nodes {\n        id\n        name\n        visibility\n        myRole\n        members {\n          ...MemberFields\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').SettingsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Users($first: Int) {\n    users(first: $first) {\n      nodes {\n        ...UserFields\n      }\n    }\n  }\n"): typeof import('./graphql').UsersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      key\n      apiKey {\n        ...ApiKeyFields\n      }\n    }\n  }\n"): typeof import('./graphql').CreateApiKeyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) {\n      ...ApiKeyFields\n    }\n  }\n"): typeof import('./graphql').RevokeApiKeyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      ...UserFields\n    }\n  }\n"): typeof import('./graphql').CreateUserDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateLoginLink($email: String!) {\n    createLoginLink(email: $email)\n  }\n"): typeof import('./graphql').CreateLoginLinkDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetUserAdmin($userId: ID!, $admin: Boolean!) {\n    setUserAdmin(userId: $userId, admin: $admin) {\n      ...UserFields\n    }\n  }\n"): typeof import('./graphql').SetUserAdminDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetProjectMember($project: String!, $email: String!, $role: ProjectRole!) {\n    setProjectMember(project: $project, email: $email, role: $role) {\n      ...MemberFields\n    }\n  }\n"): typeof import('./graphql').SetProjectMemberDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveProjectMember($project: String!, $email: String!) {\n    removeProjectMember(project: $project, email: $email) {\n      ...MemberFields\n    }\n  }\n"): typeof import('./graphql').RemoveProjectMemberDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetProjectVisibility($project: String!, $visibility: ProjectVisibility!) {\n    setProjectVisibility(project: $project, visibility: $visibility) {\n      id\n      visibility\n    }\n  }\n"): typeof import('./graphql').SetProjectVisibilityDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment MetricPointFields on MetricPoint {\n    step\n    value\n    time\n  }\n"): typeof import('./graphql').MetricPointFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment MetricSummaryFields on MetricSummary {\n    name\n    last\n    lastStep\n    min\n    max\n    count\n  }\n"): typeof import('./graphql').MetricSummaryFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ProjectFields on Project {\n    id\n    name\n    description\n    createdAt\n    runCount\n    myRole\n  }\n"): typeof import('./graphql').ProjectFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RunListFields on Run {\n    id\n    name\n    status\n    cancelRequested\n    project {\n      name\n    }\n    hyperparameters\n    tags\n    createdAt\n    startedAt\n    endedAt\n    durationMs\n    summary {\n      ...MetricSummaryFields\n    }\n    trend: metrics(names: [\"val_accuracy\"], maxPoints: 40) {\n      name\n      points {\n        ...MetricPointFields\n      }\n    }\n  }\n"): typeof import('./graphql').RunListFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Dashboard($filter: RunFilter, $first: Int, $orderBy: RunOrder!, $projectsFirst: Int) {\n    # Every project for the sidebar and the filter: PROJECTS_PAGE_SIZE, a variable like runs'\n    # first (a literal 500 would multiply the document's static cost past the API's limit).\n    projects(first: $projectsFirst) {\n      nodes {\n        ...ProjectFields\n      }\n    }\n    runs(filter: $filter, first: $first, orderBy: $orderBy) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        ...RunListFields\n      }\n    }\n  }\n"): typeof import('./graphql').DashboardDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Runs($filter: RunFilter, $first: Int, $after: String, $orderBy: RunOrder!) {\n    runs(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        ...RunListFields\n      }\n    }\n  }\n"): typeof import('./graphql').RunsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Project($name: String!) {\n    project(name: $name) {\n      ...ProjectFields\n    }\n  }\n"): typeof import('./graphql').ProjectDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ArtifactFields on Artifact {\n    id\n    kind\n    name\n    sha256\n    bytes\n    mimeType\n    createdAt\n  }\n"): typeof import('./graphql').ArtifactFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment MetricSeriesFields on MetricSeries {\n    name\n    totalPoints\n    downsampled\n    points {\n      ...MetricPointFields\n    }\n  }\n"): typeof import('./graphql').MetricSeriesFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SampleImagesFields on SampleImages {\n    count\n    height\n    width\n    channels\n    sha256\n  }\n"): typeof import('./graphql').SampleImagesFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment UncertaintyFields on Uncertainty {\n    id\n    split\n    method\n    passes\n    numSamples\n    numClasses\n    classNames\n    accuracy\n    auc\n    meanEntropy\n    meanMutualInformation\n  }\n"): typeof import('./graphql').UncertaintyFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment EvaluationFields on Evaluation {\n    id\n    split\n    numSamples\n    numClasses\n    classNames\n    accuracy\n    logLoss\n    ece\n    topK {\n      k\n      accuracy\n    }\n    perClass {\n      label\n      precision\n      recall\n      f1\n      sensitivity\n      specificity\n      support\n      auc\n    }\n    confusionMatrix\n    macro {\n      precision\n      recall\n      f1\n    }\n    weighted {\n      precision\n      recall\n      f1\n    }\n    calibration {\n      binLower\n      binUpper\n      confidence\n      accuracy\n      count\n    }\n  }\n"): typeof import('./graphql').EvaluationFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RunDetailFields on Run {\n    id\n    name\n    status\n    cancelRequested\n    sourceRunId\n    worker {\n      id\n      name\n    }\n    project {\n      name\n    }\n    hyperparameters\n    tags\n    notes\n    modelSummary\n    datasetInfo\n    backend\n    backendReason\n    error\n    createdAt\n    startedAt\n    endedAt\n    heartbeatAt\n    durationMs\n    metrics(maxPoints: 1000) {\n      ...MetricSeriesFields\n    }\n    summary {\n      ...MetricSummaryFields\n    }\n    # $artifactsFirst (default 1000, the API's maximum page) is a variable: a literal first would\n    # multiply the document's static cost. The table says when a run has more.\n    artifacts(first: $artifactsFirst) {\n      pageInfo {\n        hasNextPage\n      }\n      nodes {\n        ...ArtifactFields\n      }\n    }\n    # The files the page's links depend on, by name: never missing because of a page boundary.\n    model {\n      format\n      artifactName\n      artifactUrl\n    }\n    packIndex: artifact(name: \"explain.index.json\") {\n      name\n    }\n    weights: artifact(name: \"weights.bin\") {\n      name\n    }\n    samples {\n      ...SampleImagesFields\n    }\n    uncertainty {\n      ...UncertaintyFields\n    }\n    evaluation {\n      ...EvaluationFields\n    }\n  }\n"): typeof import('./graphql').RunDetailFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Run($id: ID!, $artifactsFirst: Int = 1000) {\n    run(id: $id) {\n      ...RunDetailFields\n    }\n  }\n"): typeof import('./graphql').RunDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RocCurveFields on RocCurve {\n    fpr\n    tpr\n  }\n"): typeof import('./graphql').RocCurveFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment PredictionFields on Prediction {\n    index\n    label\n    predicted\n    confidence\n    correct\n    probabilities\n  }\n"): typeof import('./graphql').PredictionFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RunPredictions(\n    $id: ID!\n    $filter: PredictionFilter\n    $first: Int\n    $after: String\n    $orderBy: PredictionOrder\n    $evaluationId: ID\n  ) {\n    run(id: $id) {\n      predictions(\n        filter: $filter\n        first: $first\n        after: $after\n        orderBy: $orderBy\n        evaluationId: $evaluationId\n      ) {\n        totalCount\n        pageInfo {\n          endCursor\n          hasNextPage\n        }\n        nodes {\n          ...PredictionFields\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').RunPredictionsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment UncertaintySampleFields on UncertaintySample {\n    index\n    label\n    predicted\n    correct\n    confidence\n    meanProbabilities\n    entropy\n    mutualInformation\n    boxplots {\n      class\n      className\n      min\n      q1\n      median\n      q3\n      max\n    }\n  }\n"): typeof import('./graphql').UncertaintySampleFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RunUncertaintySamples(\n    $id: ID!\n    $uncertaintyId: ID\n    $first: Int\n    $after: String\n    $orderBy: UncertaintySampleOrder\n  ) {\n    run(id: $id) {\n      uncertainty(id: $uncertaintyId) {\n        id\n        samples(first: $first, after: $after, orderBy: $orderBy) {\n          totalCount\n          pageInfo {\n            endCursor\n            hasNextPage\n          }\n          nodes {\n            ...UncertaintySampleFields\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').RunUncertaintySamplesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query NewRun($projectsFirst: Int!) {\n    presets {\n      name\n      description\n      inputShape\n      classes\n      epochs\n      batchSize\n    }\n    projects(first: $projectsFirst) {\n      nodes {\n        id\n        name\n        myRole\n      }\n    }\n  }\n"): typeof import('./graphql').NewRunDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RunToCopy($id: ID!) {\n    run(id: $id) {\n      id\n      name\n      tags\n      notes\n      priority\n      queuedConfig\n      hyperparameters\n      project {\n        id\n        name\n      }\n    }\n  }\n"): typeof import('./graphql').RunToCopyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation QueueRun($input: QueueRunInput!) {\n    queueRun(input: $input) {\n      id\n      name\n      status\n    }\n  }\n"): typeof import('./graphql').QueueRunDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelRun($id: ID!) {\n    cancelRun(id: $id) {\n      id\n      status\n      cancelRequested\n    }\n  }\n"): typeof import('./graphql').CancelRunDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Workers($first: Int!, $after: String) {\n    workers(first: $first, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        name\n        host\n        backend\n        gpu\n        memoryMb\n        concurrency\n        status\n        lastSeenAt\n        startedAt\n        currentRuns {\n          id\n          name\n          project {\n            name\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').WorkersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RunReproducibility($id: ID!) {\n    run(id: $id) {\n      id\n      reproducibility {\n        configFile {\n          path\n          text\n          sha256\n          truncated\n        }\n        git {\n          commit\n          branch\n          dirty\n          diff\n          diffBytes\n          diffTruncated\n        }\n        command\n        host\n        os {\n          platform\n          release\n          arch\n        }\n        node\n        tfjs\n        backend\n        dataset {\n          sha256\n          fileCount\n          bytesRead\n          truncated\n          files {\n            path\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').RunReproducibilityDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RunManagement($id: ID!, $projectsFirst: Int!) {\n    run(id: $id) {\n      id\n      archived\n      archivedAt\n      project {\n        name\n        myRole\n      }\n    }\n    projects(first: $projectsFirst) {\n      nodes {\n        name\n        myRole\n      }\n    }\n  }\n"): typeof import('./graphql').RunManagementDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateRunFields($id: ID!, $input: UpdateRunInput!) {\n    updateRun(id: $id, input: $input) {\n      id\n      name\n      tags\n      notes\n    }\n  }\n"): typeof import('./graphql').UpdateRunFieldsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ArchiveRun($id: ID!) {\n    archiveRun(id: $id) {\n      id\n      archived\n      archivedAt\n    }\n  }\n"): typeof import('./graphql').ArchiveRunDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UnarchiveRun($id: ID!) {\n    unarchiveRun(id: $id) {\n      id\n      archived\n      archivedAt\n    }\n  }\n"): typeof import('./graphql').UnarchiveRunDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteRun($id: ID!) {\n    deleteRun(id: $id) {\n      id\n      projectName\n    }\n  }\n"): typeof import('./graphql').DeleteRunDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MoveRun($id: ID!, $project: String!) {\n    moveRun(id: $id, project: $project) {\n      id\n      project {\n        name\n      }\n    }\n  }\n"): typeof import('./graphql').MoveRunDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RunsSignature($filter: RunFilter) {\n    runs(filter: $filter, first: 1, orderBy: { by: { field: CREATED_AT }, direction: DESC }) {\n      totalCount\n      nodes {\n        id\n      }\n    }\n  }\n"): typeof import('./graphql').RunsSignatureDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SavedViewFields on SavedView {\n    id\n    name\n    state\n    updatedAt\n  }\n"): typeof import('./graphql').SavedViewFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SavedViews($project: String!) {\n    savedViews(project: $project) {\n      ...SavedViewFields\n    }\n  }\n"): typeof import('./graphql').SavedViewsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SaveView($input: SaveViewInput!) {\n    saveView(input: $input) {\n      ...SavedViewFields\n    }\n  }\n"): typeof import('./graphql').SaveViewDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteView($id: ID!) {\n    deleteView(id: $id) {\n      id\n    }\n  }\n"): typeof import('./graphql').DeleteViewDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ProjectSweeps($projectId: ID!, $first: Int!, $after: String) {\n    sweeps(projectId: $projectId, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        name\n        status\n        method\n        createdAt\n        metric {\n          name\n          goal\n        }\n        progress {\n          completed\n          running\n          queued\n          failed\n          cancelled\n          planned\n        }\n        bestRun {\n          runId\n          value\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').ProjectSweepsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SweepProject($name: String!) {\n    project(name: $name) {\n      id\n      name\n      myRole\n    }\n  }\n"): typeof import('./graphql').SweepProjectDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SweepPage($id: ID!) {\n    sweep(id: $id) {\n      id\n      projectId\n      project {\n        name\n        myRole\n      }\n      name\n      status\n      method\n      configText\n      lastError\n      createdAt\n      endedAt\n      metric {\n        name\n        goal\n      }\n      parameterNames\n      progress {\n        queued\n        running\n        completed\n        failed\n        cancelled\n        launched\n        planned\n        parallel\n        launchErrors\n      }\n      bestRun {\n        runId\n        runName\n        value\n        parameters\n      }\n      points {\n        runId\n        runName\n        status\n        parameters\n        value\n      }\n      importance {\n        name\n        correlation\n        importance\n      }\n    }\n  }\n"): typeof import('./graphql').SweepPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateSweep($projectId: ID!, $name: String!, $config: String!) {\n    createSweep(projectId: $projectId, name: $name, config: $config) {\n      id\n    }\n  }\n"): typeof import('./graphql').CreateSweepDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PauseSweep($id: ID!) {\n    pauseSweep(id: $id) {\n      id\n      status\n    }\n  }\n"): typeof import('./graphql').PauseSweepDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResumeSweep($id: ID!) {\n    resumeSweep(id: $id) {\n      id\n      status\n    }\n  }\n"): typeof import('./graphql').ResumeSweepDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StopSweep($id: ID!) {\n    stopSweep(id: $id) {\n      id\n      status\n    }\n  }\n"): typeof import('./graphql').StopSweepDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
